using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layers;

/// <summary>Checks and normalises absolute '/'-separated paths inside an image.</summary>
internal static class ImagePath
{
    /// <summary>
    /// Returns <paramref name="path"/> without a trailing '/', after refusing anything that is not
    /// absolute or holds empty, "." or ".." segments (a layer must not write outside its tree).
    /// </summary>
    public static string Normalize(string path, bool allowRoot = false)
    {
        string trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        if (trimmed == "/" && allowRoot) return trimmed;
        if (!trimmed.StartsWith('/') || trimmed == "/" || trimmed.Contains('\0'))
            throw Invalid(path);
        foreach (string segment in trimmed[1..].Split('/'))
        {
            if (segment is "" or "." or "..") throw Invalid(path);
        }
        return trimmed;
    }

    /// <summary>The parent of a normalised path, or null for a top-level entry.</summary>
    public static string? Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? null : path[..slash];
    }

    public static string Combine(string root, string relative) =>
        root == "/" ? "/" + relative : root + "/" + relative;

    private static MabException Invalid(string path) =>
        new(ErrorCode.LayerInvalidImagePath,
            $"'{path}' is not a valid path inside an image. Use an absolute path with '/' separators and no empty, '.' or '..' segments, such as /app/MyApp.dll.");
}
