using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>Builds layer entries from folders on disk.</summary>
public static class LayerEntries
{
    private static readonly EnumerationOptions AllEntries = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// Every file, directory and symlink under <paramref name="root"/>, placed under
    /// <paramref name="imageRoot"/> (for example a publish folder under <c>/app</c>), sorted by image
    /// path. Files and directories keep their own modes. Symlinks are kept as symlinks and never
    /// followed; one that points outside <paramref name="root"/> is refused, because in the image
    /// it would point at something the app never published.
    /// </summary>
    public static IReadOnlyList<LayerEntry> FromDirectory(string root, string imageRoot)
    {
        string fullRoot = Path.GetFullPath(root);
        if (!Directory.Exists(fullRoot))
            throw new MabException(ErrorCode.LayerSourceFolderMissing, $"The folder {fullRoot} does not exist, so it cannot become a layer. Publish the app first, or point at the folder the publish wrote.");
        string normalizedRoot = ImagePath.Normalize(imageRoot, allowRoot: true);
        var entries = new List<LayerEntry>();
        if (normalizedRoot != "/") entries.Add(LayerEntry.Directory(normalizedRoot, SourceFileMode.Of(new DirectoryInfo(fullRoot))));
        Walk(new DirectoryInfo(fullRoot), fullRoot, normalizedRoot, entries);
        entries.Sort((a, b) => string.CompareOrdinal(a.ImagePath, b.ImagePath));
        return entries;
    }

    private static void Walk(DirectoryInfo directory, string root, string imageRoot, List<LayerEntry> entries)
    {
        foreach (var info in directory.EnumerateFileSystemInfos("*", AllEntries))
        {
            string relative = Path.GetRelativePath(root, info.FullName).Replace(Path.DirectorySeparatorChar, '/');
            string imagePath = ImagePath.Combine(imageRoot, relative);
            if (info.LinkTarget is { } target)
            {
                SymlinkResolver.EnsureInside(root, relative, target);
                entries.Add(LayerEntry.Symlink(imagePath, target));
            }
            else if (info is DirectoryInfo subdirectory)
            {
                entries.Add(LayerEntry.Directory(imagePath, SourceFileMode.Of(info)));
                Walk(subdirectory, root, imageRoot, entries);
            }
            else
            {
                SpecialFileCheck.EnsureRegular((FileInfo)info);
                entries.Add(LayerEntry.File(imagePath, info.FullName, SourceFileMode.Of(info)));
            }
        }
    }
}
