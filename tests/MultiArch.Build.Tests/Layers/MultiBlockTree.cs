using System.Text;

namespace MultiArch.Build.Tests.Layers;

/// <summary>
/// A seeded folder whose tar spans several compression blocks and ends in a partial one: text,
/// random bytes and small-alphabet bytes, with files that straddle block boundaries.
/// </summary>
internal static class MultiBlockTree
{
    public static string Create(ScratchFolder folder, int seed = 12)
    {
        var random = new Random(seed);
        string root = folder.Folder("multi", GoldenTree.Rwxr_xr_x);
        Write(folder, "multi/app.json", Text(random, (2 << 20) + 12345), GoldenTree.Rw_r__r__);
        Write(folder, "multi/native/libapp.so", Bytes(random, (3 << 19) + 777, 0xFF), GoldenTree.Rwxr_xr_x);
        Write(folder, "multi/App.dll", Bytes(random, (1 << 20) + 4321, 0x1F), GoldenTree.Rw_r__r__);
        for (int i = 0; i < 20; i++)
            Write(folder, $"multi/wwwroot/file{i:D2}.js", Text(random, random.Next(100, 40_000)), GoldenTree.Rw_r__r__);
        return root;
    }

    private static void Write(ScratchFolder folder, string relative, byte[] content, UnixFileMode mode)
    {
        string path = folder.File(relative, "", mode);
        File.WriteAllBytes(path, content);
    }

    private static byte[] Text(Random random, int size)
    {
        string[] words = ["layer", "digest", "manifest", "{", "}", "\"name\":", "true,", "public", "static", "await", "\n"];
        var text = new StringBuilder(size + 16);
        while (text.Length < size) text.Append(words[random.Next(words.Length)]).Append(' ');
        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }

    private static byte[] Bytes(Random random, int size, byte mask)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        for (int i = 0; i < bytes.Length; i++) bytes[i] &= mask;
        return bytes;
    }
}
