using System.Formats.Tar;

namespace MultiArch.Build.Tests.Layers;

/// <summary>
/// A fixed publish-like folder: fixed contents and modes, an executable, a private file, an empty
/// file, a non-ASCII name, paths over 100 bytes (one that splits into ustar prefix+name, one that
/// needs PAX), and symlinks (one with a target over 100 bytes). <see cref="Expected"/> is what the
/// layer must hold for it under /app, written out by hand.
/// </summary>
internal static class GoldenTree
{
    public const UnixFileMode Rw_r__r__ = (UnixFileMode)0x1A4;   // 0644
    public const UnixFileMode Rwxr_xr_x = (UnixFileMode)0x1ED;   // 0755
    public const UnixFileMode Rw_______ = (UnixFileMode)0x180;   // 0600
    public const UnixFileMode Rwxr_x___ = (UnixFileMode)0x1E8;   // 0750
    public const UnixFileMode Rwxrwxrwx = (UnixFileMode)0x1FF;   // 0777

    public static readonly string SplitDir = "deep/" + new string('a', 120);
    public static readonly string PaxName = "deep/" + new string('b', 110) + ".txt";
    public static readonly string LongTarget = "../" + SplitDir + "/file.txt";

    public sealed record Item(string Name, TarEntryType Type, UnixFileMode Mode, string Content = "", string Link = "");

    public static IReadOnlyList<Item> Expected { get; } =
    [
        new("app/", TarEntryType.Directory, Rwxr_xr_x),
        new("app/MyApp", TarEntryType.RegularFile, Rwxr_xr_x, "#!/bin/sh\necho hello\n"),
        new("app/MyApp.dll", TarEntryType.RegularFile, Rw_r__r__, "not really a dll\n"),
        new("app/appsettings.json", TarEntryType.RegularFile, Rw_______, "{}\n"),
        new("app/deep/", TarEntryType.Directory, Rwxr_xr_x),
        new("app/" + SplitDir + "/", TarEntryType.Directory, Rwxr_xr_x),
        new("app/" + SplitDir + "/file.txt", TarEntryType.RegularFile, Rw_r__r__, "split\n"),
        new("app/" + PaxName, TarEntryType.RegularFile, Rw_r__r__, "pax path\n"),
        new("app/empty.txt", TarEntryType.RegularFile, Rw_r__r__),
        new("app/lib/", TarEntryType.Directory, Rwxr_xr_x),
        new("app/lib/current", TarEntryType.SymbolicLink, Rwxrwxrwx, Link: "v1"),
        new("app/lib/far", TarEntryType.SymbolicLink, Rwxrwxrwx, Link: LongTarget),
        new("app/lib/v1/", TarEntryType.Directory, Rwxr_xr_x),
        new("app/lib/v1/lib.txt", TarEntryType.RegularFile, Rw_r__r__, "v1\n"),
        new("app/runtimes/", TarEntryType.Directory, Rwxr_x___),
        new("app/runtimes/libnative.so", TarEntryType.RegularFile, Rwxr_xr_x, "\u007fELF pretend\n"),
        new("app/wwwroot/", TarEntryType.Directory, Rwxr_xr_x),
        new("app/wwwroot/grüße-ñ.txt", TarEntryType.RegularFile, Rw_r__r__, "hallo\n"),
    ];

    /// <summary>Creates the tree from <see cref="Expected"/> (minus the app/ prefix) in <paramref name="folder"/>.</summary>
    public static string Create(ScratchFolder folder)
    {
        string root = folder.Folder("publish", Rwxr_xr_x);
        foreach (var item in Expected.Skip(1))
        {
            string relative = "publish/" + item.Name["app/".Length..].TrimEnd('/');
            switch (item.Type)
            {
                case TarEntryType.Directory: folder.Folder(relative, item.Mode); break;
                case TarEntryType.SymbolicLink: folder.Symlink(relative, item.Link); break;
                default: folder.File(relative, item.Content, item.Mode); break;
            }
        }
        return root;
    }
}
