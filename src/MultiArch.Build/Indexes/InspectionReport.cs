using System.Text;

namespace MultiArch.Build.Indexes;

/// <summary>What InspectContainerImage prints: the digest and media type, then one line per image, or the raw JSON.</summary>
public static class InspectionReport
{
    public static IEnumerable<string> Format(InspectedImage image)
    {
        yield return $"Name:      {image.Reference}";
        yield return $"MediaType: {image.MediaType}";
        yield return $"Digest:    {image.Digest}";
        yield return "";
        int width = Math.Max(8, image.Manifests.Max(m => m.Platform.Length));
        yield return $"  {"PLATFORM".PadRight(width)}  {"MANIFEST DIGEST",-71}  {"SIZE",6}  {"LAYERS",6}";
        foreach (var manifest in image.Manifests)
        {
            string layers = manifest.LayerCount < 0 ? "index" : manifest.LayerCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string line = $"  {manifest.Platform.PadRight(width)}  {manifest.Digest,-71}  {manifest.Size,6}  {layers,6}";
            yield return manifest.IsAttestation ? $"{line}  (attestation of {manifest.Subject?.ToString() ?? "?"})" : line;
            foreach (var sbom in manifest.Sboms)
                yield return $"  {"".PadRight(width)}  SBOM {sbom.Digest} ({sbom.ArtifactType}, referrer)";
        }
    }

    public static string Raw(InspectedImage image) => Encoding.UTF8.GetString(image.Bytes);
}
