namespace MultiArch.Build.Indexes;

/// <summary>What CreateContainerIndex needs, as plain data: the sources, where the index goes, and its tags and annotations.</summary>
public sealed record ContainerIndexRequest
{
    /// <summary>ContainerIndexSources as written: references or bare digests, separated by ';', ',' or white space.</summary>
    public required string Sources { get; init; }
    public required string Registry { get; init; }
    public required string Repository { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = ["latest"];

    /// <summary>Adds to (or replaces platforms of) the index the first tag names, keeping its other platforms.</summary>
    public bool Append { get; init; }

    /// <summary>ContainerAnnotation items, set on the index.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Generated org.opencontainers.image.* annotations, under <see cref="Annotations"/>; left out of a Docker manifest list.</summary>
    public IReadOnlyDictionary<string, string> GeneratedAnnotations { get; init; } = new Dictionary<string, string>();
}
