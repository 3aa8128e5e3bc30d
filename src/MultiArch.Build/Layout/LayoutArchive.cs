using System.Formats.Tar;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layout;

/// <summary>
/// The tar form of an OCI image layout (what skopeo calls <c>oci-archive:</c>), written with the same tar
/// writer as the layers: sorted entries, the layers' mtime (SOURCE_DATE_EPOCH or 2000-01-01), owner 0:0 with
/// no names, fixed modes, and PAX records (with no pid in them) only where ustar cannot hold a value, so any
/// blob size fits and the same layout gives the same archive bytes.
/// </summary>
internal static class LayoutArchive
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static async Task WriteAsync(string layoutRoot, Stream output, CancellationToken cancellationToken)
    {
        using var tar = new TarStreamWriter(output, new LayerWriterOptions { Mtime = LayerWriterOptions.MtimeFromEnvironment() });
        foreach (var entry in Entries(layoutRoot))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await tar.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        tar.Finish();
    }

    public static async Task ExtractAsync(string archivePath, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        try
        {
            await using var input = new FileStream(archivePath, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await TarFile.ExtractToDirectoryAsync(input, directory, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
        }
        // A full disk while unpacking is not the archive's fault: it reaches the caller as it is.
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException && !FileSystemFailure.IsDiskFull(ex))
        {
            throw new MabException(ErrorCode.InvalidLayoutArchive,
                $"'{archivePath}' cannot be read as an OCI layout archive: {ex.Message} Check that it is a tar of an OCI image layout (skopeo's oci-archive).", ex);
        }
    }

    /// <summary>
    /// Every layout path in ordinal order. Only layout content is taken: temp files and anything not named
    /// like a blob stay out of the archive.
    /// </summary>
    private static IEnumerable<LayerEntry> Entries(string layoutRoot)
    {
        var entries = new List<LayerEntry>();
        foreach (var file in new[] { OciLayoutFormat.LayoutFileName, OciLayoutFormat.IndexFileName })
            entries.Add(LayerEntry.File("/" + file, Path.Combine(layoutRoot, file), FileMode));
        string blobs = Path.Combine(layoutRoot, OciLayoutFormat.BlobsFolderName);
        if (Directory.Exists(blobs))
        {
            entries.Add(LayerEntry.Directory("/" + OciLayoutFormat.BlobsFolderName));
            foreach (var algorithmDir in Directory.EnumerateDirectories(blobs))
            {
                string algorithm = Path.GetFileName(algorithmDir);
                string prefix = $"/{OciLayoutFormat.BlobsFolderName}/{algorithm}";
                entries.Add(LayerEntry.Directory(prefix));
                foreach (var file in Directory.EnumerateFiles(algorithmDir))
                {
                    if (Digest.TryParse(algorithm + ":" + Path.GetFileName(file), out _))
                        entries.Add(LayerEntry.File(prefix + "/" + Path.GetFileName(file), file, FileMode));
                }
            }
        }
        return entries.OrderBy(e => e.ImagePath, StringComparer.Ordinal);
    }
}
