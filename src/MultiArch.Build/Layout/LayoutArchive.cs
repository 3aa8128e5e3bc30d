using System.Formats.Tar;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layout;

/// <summary>
/// The tar form of an OCI image layout (what skopeo calls <c>oci-archive:</c>). Writing is
/// deterministic: ustar entries only (PAX headers would carry a pid), sorted by path, mtime 0,
/// owner 0:0 with no names, fixed modes, so the same layout gives the same archive bytes.
/// </summary>
internal static class LayoutArchive
{
    // ustar stores the size in 11 octal digits.
    private const long MaxUstarSize = (1L << 33) - 1;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode DirectoryMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static async Task WriteAsync(string layoutRoot, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var (name, path) in Entries(layoutRoot))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (path is null)
            {
                await writer.WriteEntryAsync(NewEntry(TarEntryType.Directory, name, DirectoryMode), cancellationToken).ConfigureAwait(false);
                continue;
            }
            await using var content = new FileStream(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (content.Length > MaxUstarSize)
            {
                throw new MabException(ErrorCode.InvalidLayoutArchive,
                    $"'{name}' is {content.Length} bytes, more than a ustar archive entry can hold (8 GiB). Write an OCI layout directory instead of an archive.");
            }
            var entry = NewEntry(TarEntryType.RegularFile, name, FileMode);
            entry.DataStream = content;
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
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
    /// Every layout path in ordinal order; folders have a null file path. Only layout content is taken:
    /// temp files and anything not named like a blob stay out of the archive.
    /// </summary>
    private static IEnumerable<(string Name, string? Path)> Entries(string layoutRoot)
    {
        var entries = new List<(string Name, string? Path)>();
        foreach (var file in new[] { OciLayoutFormat.LayoutFileName, OciLayoutFormat.IndexFileName })
            entries.Add((file, Path.Combine(layoutRoot, file)));
        string blobs = Path.Combine(layoutRoot, OciLayoutFormat.BlobsFolderName);
        if (Directory.Exists(blobs))
        {
            entries.Add((OciLayoutFormat.BlobsFolderName + "/", null));
            foreach (var algorithmDir in Directory.EnumerateDirectories(blobs))
            {
                string algorithm = Path.GetFileName(algorithmDir);
                string prefix = $"{OciLayoutFormat.BlobsFolderName}/{algorithm}/";
                entries.Add((prefix, null));
                foreach (var file in Directory.EnumerateFiles(algorithmDir))
                {
                    if (Digest.TryParse(algorithm + ":" + Path.GetFileName(file), out _))
                        entries.Add((prefix + Path.GetFileName(file), file));
                }
            }
        }
        return entries.OrderBy(e => e.Name, StringComparer.Ordinal);
    }

    private static UstarTarEntry NewEntry(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        Mode = mode,
        ModificationTime = DateTimeOffset.UnixEpoch,
        Uid = 0,
        Gid = 0,
        UserName = "",
        GroupName = "",
    };
}
