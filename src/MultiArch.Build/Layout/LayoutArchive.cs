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

    public static Task WriteAsync(string layoutRoot, Stream output, CancellationToken cancellationToken) =>
        TarStreamWriter.WriteArchiveAsync(output, LayerTree.Arrange(Files(layoutRoot)), LayerWriterOptions.Default, null, cancellationToken);

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
    /// The layout's files; <see cref="LayerTree.Arrange"/> adds their folders and sorts them. Only layout content is
    /// taken: temp files and anything not named like a blob stay out of the archive.
    /// </summary>
    private static IEnumerable<LayerEntry> Files(string layoutRoot)
    {
        foreach (var file in new[] { OciLayoutFormat.LayoutFileName, OciLayoutFormat.IndexFileName })
            yield return LayerEntry.File("/" + file, Path.Combine(layoutRoot, file), FileMode);
        string blobs = Path.Combine(layoutRoot, OciLayoutFormat.BlobsFolderName);
        if (!Directory.Exists(blobs)) yield break;
        foreach (var algorithmDir in Directory.EnumerateDirectories(blobs))
        {
            string algorithm = Path.GetFileName(algorithmDir);
            foreach (var file in Directory.EnumerateFiles(algorithmDir))
            {
                string hex = Path.GetFileName(file);
                if (Digest.TryParse(algorithm + ":" + hex, out _))
                    yield return LayerEntry.File($"/{OciLayoutFormat.BlobsFolderName}/{algorithm}/{hex}", file, FileMode);
            }
        }
    }
}
