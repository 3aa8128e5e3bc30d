using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;

namespace MultiArch.Build.Layout;

/// <summary>
/// Writes images into an OCI layout archive (a tar of a layout). The layout is assembled in a temp
/// folder beside the archive (starting from the existing archive's content, so its other refs stay),
/// tarred to a temp file, and renamed over the archive: the archive is the old one or the new one,
/// never a half-written one.
/// </summary>
public sealed class OciArchiveDestination : IImageDestination
{
    /// <param name="imageName">The name (no tag) engines load the image under, as for <see cref="OciLayoutDestination"/>.</param>
    public OciArchiveDestination(string archivePath, string? imageName = null)
    {
        ArchivePath = Path.GetFullPath(archivePath);
        ImageName = imageName;
    }

    public string ArchivePath { get; }

    public string? ImageName { get; }

    public Task<DestinationResult> WriteIndexAsync(IndexArtifact index, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        WriteAsync((layout, ct) => layout.WriteIndexAsync(index, tags, ct), cancellationToken);

    public Task<DestinationResult> WriteImageAsync(ImageArtifact image, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        WriteAsync((layout, ct) => layout.WriteImageAsync(image, tags, ct), cancellationToken);

    private async Task<DestinationResult> WriteAsync(Func<OciLayoutDestination, CancellationToken, Task<DestinationResult>> write, CancellationToken cancellationToken)
    {
        bool existed = File.Exists(ArchivePath);
        var errors = LayoutErrors.ForArchive(ArchivePath, existed);
        string folder = Path.GetDirectoryName(ArchivePath)!;
        // Folders made for the archive go again if it is never written.
        var madeFolders = Directory.Exists(folder) ? null : LayoutWriteScope.Begin(folder);
        try
        {
            if (Directory.Exists(ArchivePath)) throw errors.PathUnusable(new IOException($"'{ArchivePath}' is a folder, not a file."));
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (FileSystemFailure.Is(ex))
        {
            madeFolders?.Undo();
            throw errors.PathUnusable(ex);
        }
        string staging = AtomicFile.TempPathFor(ArchivePath);
        string tempArchive = AtomicFile.TempPathFor(ArchivePath);
        bool written = false;
        OciLayoutDestination? layout = null;
        try
        {
            if (existed)
                await LayoutArchive.ExtractAsync(ArchivePath, staging, cancellationToken).ConfigureAwait(false);
            layout = new OciLayoutDestination(staging, ImageName) { Errors = errors };
            var result = await write(layout, cancellationToken).ConfigureAwait(false);
            await using (var output = new FileStream(tempArchive, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await LayoutArchive.WriteAsync(staging, output, cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
            File.Move(tempArchive, ArchivePath, overwrite: true);
            written = true;
            string stagingPrefix = "oci:" + Path.GetFullPath(staging);
            var references = result.References.Select(r => "oci-archive:" + ArchivePath + r[stagingPrefix.Length..]).ToList();
            return result with { References = references };
        }
        catch (Exception ex) when (FileSystemFailure.Is(ex) && layout?.SourceFailed != true)
        {
            throw errors.WriteFailed(ex, wasNew: !existed);
        }
        finally
        {
            Remove(staging, tempArchive);
            if (!written) madeFolders?.Undo();
        }
    }

    /// <summary>Removes the staging folder and temp archive; a failure to do so must not hide the error that led here.</summary>
    private static void Remove(string staging, string tempArchive)
    {
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            File.Delete(tempArchive);
        }
        catch (Exception ex) when (FileSystemFailure.Is(ex))
        {
        }
    }
}
