namespace MultiArch.Build.Layout;

/// <summary>Replaces a file whole: the bytes go to a temp file beside it, reach the disk, then take its name.</summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        string temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // Best effort: the failure that got here is the one to report.
            try { File.Delete(temp); }
            catch (Exception ex) when (Diagnostics.FileSystemFailure.Is(ex)) { }
            throw;
        }
    }

    /// <summary>A name in the same folder (so the rename is atomic) that no reader mistakes for layout content.</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + ".tmp-" + Guid.NewGuid().ToString("N"));
}
