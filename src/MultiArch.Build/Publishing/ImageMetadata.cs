namespace MultiArch.Build.Publishing;

/// <summary>
/// The labels and annotations a build writes, assembled in one place for publish and merge alike: the creation
/// time (<see cref="ReproducibleTime"/>: SOURCE_DATE_EPOCH, else the Unix epoch, never the clock), the generated
/// <c>org.opencontainers.image.*</c> values, and the user's own labels and annotations over them.
/// </summary>
/// <param name="Labels">Config labels: the user's, over the generated ones when labels are generated.</param>
/// <param name="Annotations">The user's own annotations (manifests and index).</param>
/// <param name="Generated">The generated annotations with <c>created</c>; empty when annotations are not generated.</param>
public sealed record ImageMetadata(DateTimeOffset Created, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations, IReadOnlyDictionary<string, string> Generated)
{
    public static ImageMetadata Assemble(IEnumerable<(string Key, string Value)> generated, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations,
        bool generateLabels, bool generateAnnotations, string? sourceDateEpoch = null)
    {
        var created = ReproducibleTime.Created(sourceDateEpoch);
        var values = generated.ToList();
        var none = new Dictionary<string, string>(StringComparer.Ordinal);
        return new ImageMetadata(created,
            generateLabels ? OciAnnotations.Combine(values, created, labels) : labels,
            annotations,
            generateAnnotations ? OciAnnotations.Combine(values, created, none) : none);
    }
}
