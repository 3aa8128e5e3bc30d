using System.Text;

namespace MultiArch.Build.Benchmarks;

/// <summary>
/// <c>generate &lt;folder&gt; &lt;megabytes&gt;</c>: a publish-like folder of a given size, the same for a
/// given size on every run (seeded). Files are a third incompressible (native code, images), a
/// third text (json, xml, js) and a third half-compressible (IL), 4 KiB to 2 MiB each, spread over
/// nested folders, so both compression speed and per-file overhead show.
/// </summary>
internal static class SampleTree
{
    private const int Seed = 20260101;
    private static readonly string[] Words =
        ["System", "Collections", "Generic", "value", "name", "true", "false", "null", "config", "Microsoft",
         "AspNetCore", "Logging", "options", "return", "public", "static", "async", "await", "string", "int",
         "{", "}", "[", "]", ":", ",", "\"id\"", "\"type\"", "<element>", "</element>", "function", "const"];

    public static void Generate(string folder, int megabytes, TextWriter output)
    {
        var random = new Random(Seed);
        long target = (long)megabytes << 20, written = 0;
        int index = 0;
        while (written < target)
        {
            int size = (int)Math.Min(target - written, SizeFor(random));
            string path = Path.Combine(folder, Subfolder(index), $"file{index:D5}{Extension(index)}");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Content(random, index, size));
            if (index % 50 == 0 && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, (UnixFileMode)0x1ED); // some executables, as a publish has
            written += size;
            index++;
        }
        output.WriteLine($"files: {index}");
        output.WriteLine($"bytes: {written}");
    }

    // Mostly small and medium files with a tail of large ones, like a publish folder.
    private static long SizeFor(Random random) => random.Next(10) switch
    {
        < 5 => random.Next(4 << 10, 128 << 10),
        < 9 => random.Next(128 << 10, 768 << 10),
        _ => random.Next(768 << 10, 2 << 20),
    };

    private static string Subfolder(int index) => (index % 4) switch
    {
        0 => "",
        1 => Path.Combine("runtimes", "linux-x64", "native"),
        2 => Path.Combine("wwwroot", "lib", $"pkg{index % 7}"),
        _ => Path.Combine("data", $"set{index % 5}"),
    };

    private static string Extension(int index) => (index % 3) switch { 0 => ".so", 1 => ".json", _ => ".dll" };

    private static byte[] Content(Random random, int index, int size) => (index % 3) switch
    {
        0 => Incompressible(random, size),
        1 => Text(random, size),
        _ => HalfCompressible(random, size),
    };

    private static byte[] Incompressible(Random random, int size)
    {
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Text(Random random, int size)
    {
        var builder = new StringBuilder(size + 64);
        while (builder.Length < size)
        {
            builder.Append(Words[random.Next(Words.Length)]).Append(' ');
            if (random.Next(12) == 0) builder.Append(random.Next(100000)).Append('\n');
        }
        return Encoding.ASCII.GetBytes(builder.ToString(0, size));
    }

    // Random bytes from a small alphabet: roughly what deflate makes of compiled IL.
    private static byte[] HalfCompressible(Random random, int size)
    {
        var bytes = Incompressible(random, size);
        for (int i = 0; i < bytes.Length; i++) bytes[i] &= 0x1F;
        return bytes;
    }
}
