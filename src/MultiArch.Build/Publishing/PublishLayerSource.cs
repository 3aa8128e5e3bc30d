using MultiArch.Build.Layers;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Turns one platform's publish folder into layer entries under the working directory. The image holds
/// exactly what the folder holds: every file `dotnet publish` wrote there, including those the SDK copies
/// with targets of its own (static web assets, their endpoints manifest, compressed copies) and any a
/// future SDK target adds. The SDK removes what an earlier publish left and this one no longer publishes
/// (its incremental clean of the publish folder), and each platform publishes to a folder of its own.
/// Which layer a file goes to comes from what the SDK reported about it (<see cref="PublishLayerClassifier"/>);
/// a file it did not report goes to the app layer.
/// </summary>
/// <remarks>
/// Modes are made independent of the machine's umask, so the same app gives the same digests wherever it
/// is published: directories get 0755; a regular file gets 0755 when any of its execute bits is set (the
/// apphost, scripts, NuGet's 0744 files) and 0644 otherwise. Symlinks are kept as they are. Windows ignores modes (its
/// layers say what they need in PAX records), and a Windows layer keeps the same ones, so tar tools list it as they list a Linux layer.
/// </remarks>
public static class PublishLayerSource
{
    /// <summary>The entries of a Linux image whose working directory is <paramref name="workingDirectory"/>.</summary>
    public static IReadOnlyList<LayerEntry> EntriesFor(PublishedPlatform platform, string workingDirectory) =>
        EntriesFor(platform, ImageWorkingDirectory.For("linux", workingDirectory));

    /// <summary>
    /// The entries under the layer folder of <paramref name="directory"/>: <c>/app/…</c> for a Linux image, <c>/Files/app/…</c>
    /// for a Windows image (see <see cref="WindowsLayerTree"/>), with the same modes either way.
    /// </summary>
    public static IReadOnlyList<LayerEntry> EntriesFor(PublishedPlatform platform, ImageWorkingDirectory directory) =>
        LayerEntries.FromDirectory(platform.PublishDirectory, directory.LayerRoot).Select(Normalize).ToList();

    /// <summary>The folder of a Linux image the app is copied to: the working directory, absolute, without a trailing '/'.</summary>
    public static string ImageRootOf(string workingDirectory) => ImageWorkingDirectory.For("linux", workingDirectory).LayerRoot;

    /// <summary>Where a published file lands in the image.</summary>
    public static string ImagePathOf(string imageRoot, string relativePath) =>
        imageRoot.TrimEnd('/') + "/" + relativePath.Replace('\\', '/').TrimStart('/');

    /// <summary>The mode a file or directory of the publish folder gets in the image (see the remarks).</summary>
    public static UnixFileMode ImageModeOf(LayerEntryKind kind, UnixFileMode mode) => kind switch
    {
        LayerEntryKind.Directory => Executable,
        LayerEntryKind.File => (mode & AnyExecute) != 0 ? Executable : Plain,
        _ => mode,
    };

    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private const UnixFileMode Plain = (UnixFileMode)0b110_100_100;
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private static LayerEntry Normalize(LayerEntry entry) => entry with { Mode = ImageModeOf(entry.Kind, entry.Mode) };
}
