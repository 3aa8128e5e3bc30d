using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layout;

/// <summary>
/// What one write into a layout folder must undo if it fails. A new layout (the folder was missing or empty) is
/// removed again, with the folders made for it, so a failed build leaves nothing that looks like a layout. An existing
/// layout keeps what it had: its <c>index.json</c> is only ever replaced whole, and the blobs written before the failure
/// are content-addressed and unreferenced, so they do no harm.
/// </summary>
internal sealed class LayoutWriteScope
{
    private readonly string _root;
    private readonly string? _outermostCreated;

    private LayoutWriteScope(string root, bool isNew, string? outermostCreated)
    {
        _root = root;
        IsNew = isNew;
        _outermostCreated = outermostCreated;
    }

    /// <summary>True when the write starts a layout; false when it adds to one (or meets a folder it will refuse).</summary>
    public bool IsNew { get; }

    public static LayoutWriteScope Begin(string root)
    {
        if (Directory.Exists(root))
        {
            bool empty = !Directory.EnumerateFileSystemEntries(root).Any();
            return new LayoutWriteScope(root, empty, null);
        }
        string outermost = root;
        for (string? parent = Path.GetDirectoryName(root); !string.IsNullOrEmpty(parent) && !Directory.Exists(parent) && !File.Exists(parent); parent = Path.GetDirectoryName(parent))
            outermost = parent;
        return new LayoutWriteScope(root, true, outermost);
    }

    /// <summary>Removes what a failed write into a new layout left; best effort, so the failure itself is what the user sees.</summary>
    public void Undo()
    {
        if (!IsNew) return;
        try
        {
            if (_outermostCreated is not null)
            {
                if (Directory.Exists(_outermostCreated)) Directory.Delete(_outermostCreated, recursive: true);
                return;
            }
            // The folder was there and empty (perhaps a mount point): empty it again, keep it.
            foreach (var entry in new DirectoryInfo(_root).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo folder) folder.Delete(recursive: true);
                else entry.Delete();
            }
        }
        catch (Exception ex) when (FileSystemFailure.Is(ex))
        {
        }
    }
}
