using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The pre-defined <c>org.opencontainers.image.*</c> keys the build generates (as manifest and index
/// annotations, and as config labels). <c>created</c> is the reproducible creation time, never the clock.
/// </summary>
public static class OciAnnotations
{
    public const string Prefix = "org.opencontainers.image.";
    public const string Created = Prefix + "created";
    public const string Version = Prefix + "version";
    public const string Revision = Prefix + "revision";
    public const string Source = Prefix + "source";
    public const string Title = Prefix + "title";
    public const string Description = Prefix + "description";
    public const string Licenses = Prefix + "licenses";
    public const string BaseName = Prefix + "base.name";
    public const string BaseDigest = Prefix + "base.digest";

    /// <summary>The generated values (blank ones left out) with <c>created</c> added, then the user's own over them.</summary>
    public static Dictionary<string, string> Combine(IEnumerable<(string Key, string Value)> generated, DateTimeOffset created, IReadOnlyDictionary<string, string> own)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal) { [Created] = ImageConfigEditor.FormatTimestamp(created) };
        foreach (var (key, value) in generated)
        {
            if (!string.IsNullOrWhiteSpace(key) && !string.IsNullOrWhiteSpace(value)) result[key.Trim()] = value.Trim();
        }
        foreach (var (key, value) in own) result[key] = value;
        return result;
    }

    /// <summary>
    /// Adds base.name and base.digest. On an image, base.digest is the platform's own manifest in the base;
    /// on an index (<paramref name="forIndex"/>), it is the base index, and is only set when every platform
    /// came from the same base index.
    /// </summary>
    public static IReadOnlyDictionary<string, string> WithBase(IReadOnlyDictionary<string, string> values, BaseImageOrigin? origin, bool forIndex = false)
    {
        if (origin is null) return values;
        var digest = forIndex ? origin.IndexDigest : origin.ManifestDigest;
        var result = new Dictionary<string, string>(values, StringComparer.Ordinal);
        result.TryAdd(BaseName, origin.Name);
        if (digest is { } known) result.TryAdd(BaseDigest, known.ToString());
        return result;
    }

    /// <summary>
    /// The annotations of one image manifest: the generated ones with the base's, then the user's own over them.
    /// A Docker manifest gets only the user's own: the Docker schemas define no annotations, and the same
    /// values still reach the config as labels. (An index gets the same rule from <see cref="IndexComposer"/>.)
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForManifest(IReadOnlyDictionary<string, string> generated, BaseImageOrigin? origin, IReadOnlyDictionary<string, string> own, ImageFormat family)
    {
        if (generated.Count == 0 || family == ImageFormat.Docker) return own;
        var result = new Dictionary<string, string>(WithBase(generated, origin), StringComparer.Ordinal);
        foreach (var (key, value) in own) result[key] = value;
        return result;
    }

    /// <summary>The origin every image shares, or null when the platforms came from different bases.</summary>
    public static BaseImageOrigin? SharedOrigin(IReadOnlyList<BaseImage> bases)
    {
        var origins = bases.Select(b => b.Origin).ToList();
        var first = origins.FirstOrDefault();
        return first is not null && origins.All(o => o is not null && o.Name == first.Name && o.IndexDigest == first.IndexDigest) ? first : null;
    }
}
