namespace MultiArch.Build.Layers;

/// <summary>
/// One thing to put in a layer. <see cref="ImagePath"/> is absolute inside the image
/// (<c>/app/MyApp.dll</c>); a file's bytes come from <see cref="SourcePath"/> on disk when the layer
/// is written, so entries are cheap to plan and the layer is never held in memory.
/// </summary>
/// <param name="ImagePath">Absolute path inside the image, '/'-separated, without "." or ".." segments.</param>
/// <param name="Kind">File, directory or symlink.</param>
/// <param name="SourcePath">The file on disk whose bytes become the entry's content (files only).</param>
/// <param name="Mode">Permission bits stored in the tar (the source file's own mode, normally).</param>
/// <param name="LinkTarget">Where a symlink points, stored verbatim (symlinks only).</param>
public sealed record LayerEntry(string ImagePath, LayerEntryKind Kind, string? SourcePath, UnixFileMode Mode, string? LinkTarget)
{
    /// <summary>The mode given to directories the writer adds so that every entry has its parents.</summary>
    public const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The mode a symlink carries; Linux ignores it, and tar tools show lrwxrwxrwx.</summary>
    public const UnixFileMode SymlinkMode = (UnixFileMode)0x1FF;

    public static LayerEntry File(string imagePath, string sourcePath, UnixFileMode mode) =>
        new(imagePath, LayerEntryKind.File, sourcePath, mode, null);

    public static LayerEntry Directory(string imagePath, UnixFileMode mode = DirectoryMode) =>
        new(imagePath, LayerEntryKind.Directory, null, mode, null);

    public static LayerEntry Symlink(string imagePath, string linkTarget) =>
        new(imagePath, LayerEntryKind.Symlink, null, SymlinkMode, linkTarget);
}
