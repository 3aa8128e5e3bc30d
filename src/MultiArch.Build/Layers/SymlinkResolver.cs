using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>
/// Decides whether a symlink stays inside the folder being layered. Targets are resolved the way
/// the kernel would, one segment at a time, expanding symlinks met on the way (a link to "d/.."
/// where d is itself a link to "." escapes, though it looks harmless). Targets that do not exist
/// are fine as long as their path stays inside.
/// </summary>
internal static class SymlinkResolver
{
    // The kernel gives up after 40 links (ELOOP); a cycle is refused the same way.
    private const int MaxLinks = 40;

    /// <param name="root">The folder's full path.</param>
    /// <param name="linkPath">The link's path relative to <paramref name="root"/>, '/'-separated.</param>
    /// <param name="target">The link's target, as stored.</param>
    public static void EnsureInside(string root, string linkPath, string target)
    {
        var resolved = new List<string>(linkPath.Split('/')[..^1]);
        var pending = new Stack<string>();
        Push(pending, target, root, linkPath, target);
        int links = 1;
        while (pending.Count > 0)
        {
            string segment = pending.Pop();
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (resolved.Count == 0) throw Escapes(root, linkPath, target);
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            resolved.Add(segment);
            string? next = new FileInfo(Path.Combine(root, Path.Combine([.. resolved]))).LinkTarget;
            if (next is null) continue;
            if (++links > MaxLinks) throw Escapes(root, linkPath, target);
            resolved.RemoveAt(resolved.Count - 1);
            Push(pending, next, root, linkPath, target);
        }
    }

    private static void Push(Stack<string> pending, string target, string root, string linkPath, string original)
    {
        if (target.StartsWith('/') || Path.IsPathRooted(target)) throw Escapes(root, linkPath, original);
        string[] segments = target.Split('/');
        for (int i = segments.Length - 1; i >= 0; i--) pending.Push(segments[i]);
    }

    private static MabException Escapes(string root, string linkPath, string target) =>
        new(ErrorCode.LayerSymlinkEscapesRoot,
            $"The symlink {linkPath} in {root} points to '{target}', which is outside that folder (or loops). In the image it would point at something that was never published. Make it a relative link to a file inside the folder, or copy the file in instead.");
}
