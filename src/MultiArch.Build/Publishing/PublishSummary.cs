using System.Globalization;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The table a publish prints: platform, manifest digest and size, then the index and every reference
/// written, and for a layout directory the commands that run the image (<see cref="LayoutRunCommands"/>).
/// </summary>
public static class PublishSummary
{
    public static IEnumerable<string> Format(ContainerPublishResult result, ImageDestinationSpec destination)
    {
        yield return $"Container images for {destination.Describe()}:";
        int width = Math.Max(8, result.Images.Max(i => i.Platform.Length));
        yield return $"  {"PLATFORM".PadRight(width)}  {"MANIFEST DIGEST",-71}  {"LAYERS",6}  {"SIZE",10}";
        foreach (var image in result.Images)
            yield return $"  {image.Platform.PadRight(width)}  {image.Manifest.Digest,-71}  {image.LayerCount,6}  {Bytes(image.CompressedSize),10}";
        if (result.Index is not null) yield return $"  index {result.Index.Digest}";
        yield return $"  uploaded {Bytes(result.BytesUploaded)}, already present {Bytes(result.BytesSkipped)}";
        foreach (var reference in result.References) yield return $"  -> {reference}";
        var run = LayoutRunCommands.For(result, destination).ToList();
        if (run.Count == 0) yield break;
        yield return "  run it with podman:";
        foreach (var command in run) yield return "    " + command;
    }

    /// <summary>
    /// The summary as one block, for a host that prints it as a single message after a label (MSBuild's
    /// <c>App -> …</c>): the first line, then the others two spaces further in, so that they sit under it.
    /// </summary>
    public static string Block(ContainerPublishResult result, ImageDestinationSpec destination) =>
        string.Join(Environment.NewLine, Format(result, destination).Select((line, i) => i == 0 ? line : "  " + line));

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };
}
