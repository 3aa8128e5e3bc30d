namespace MultiArch.Build.Publishing;

/// <summary>
/// Where the images go. Exactly one of registry, layout directory or layout archive; tags name the index
/// (or, with <see cref="PushByDigest"/>, nothing is tagged and no index is written).
/// </summary>
public sealed record ImageDestinationSpec
{
    public string? Registry { get; init; }
    public string Repository { get; init; } = "";
    public IReadOnlyList<string> Tags { get; init; } = ["latest"];
    public string? LayoutPath { get; init; }
    public string? ArchivePath { get; init; }
    public bool PushByDigest { get; init; }

    public string Describe() =>
        !string.IsNullOrEmpty(Registry) ? $"{Registry}/{Repository}"
        : !string.IsNullOrEmpty(ArchivePath) ? $"OCI archive {ArchivePath}"
        : $"OCI layout {LayoutPath}";
}
