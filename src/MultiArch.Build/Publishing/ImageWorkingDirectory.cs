using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Publishing;

/// <summary>
/// ContainerWorkingDirectory as one platform's image has it: the config's <c>WorkingDir</c>, spelled for the image's OS, and
/// the folder of the layers the app is copied to. One publish can make Linux and Windows images, so the same setting is
/// written either way and each OS gets its own spelling: <c>/app/</c> and <c>C:\app\</c> are one folder,
/// <c>/app/</c> (and <c>/app</c>) in a Linux image, <c>C:\app\</c> in a Windows image, whose layers hold it at
/// <c>Files/app</c>. A Linux image keeps the setting as written when it is a Linux path, as it always has.
/// </summary>
public sealed record ImageWorkingDirectory(string Config, string LayerRoot, bool IsWindows)
{
    public static ImageWorkingDirectory For(string? os, string configured)
    {
        string text = configured.Trim();
        bool windows = string.Equals(os, "windows", StringComparison.OrdinalIgnoreCase);
        var segments = Segments(text, windows);
        if (windows)
        {
            string inside = string.Join('\\', segments);
            return new ImageWorkingDirectory(@"C:\" + (inside.Length == 0 ? "" : inside + @"\"), WindowsLayerTree.FilesRoot + string.Concat(segments.Select(s => "/" + s)), true);
        }
        if (!LooksLikeWindows(text)) return new ImageWorkingDirectory(text, "/" + text.Trim('/'), false);
        return new ImageWorkingDirectory("/" + string.Concat(segments.Select(s => s + "/")), "/" + string.Join('/', segments), false);
    }

    private static bool LooksLikeWindows(string path) => path.Contains('\\') || HasDrive(path);

    private static bool HasDrive(string path) => path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]);

    private static List<string> Segments(string path, bool windows)
    {
        string rest = path;
        if (HasDrive(path))
        {
            // A Windows image's layers hold drive C: only; a Linux image has no drives, so the letter is dropped there too.
            if (windows && char.ToUpperInvariant(path[0]) != 'C')
                throw new MabException(ErrorCode.LayerInvalidImagePath,
                    $"ContainerWorkingDirectory '{path}' is on drive {path[0]}:, but a Windows image's layers hold drive C: only. Use a folder on C:, such as C:\\app\\.");
            rest = path[2..];
        }
        return rest.Split('/', '\\').Where(s => s.Length > 0).ToList();
    }
}
