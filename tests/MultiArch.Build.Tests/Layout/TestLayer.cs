using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layout;

/// <summary>A file to put in a test layer (a path relative to the image root); a null content makes a directory.</summary>
public sealed record TestFile(string Path, string? Content, UnixFileMode Mode);

/// <summary>
/// Real layers for layout tests: the files are written to disk with their modes, then
/// <see cref="LayerWriter"/> turns the folder into a gzip tar layer in the store, as a build does.
/// </summary>
public static class TestLayer
{
    public const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    public const UnixFileMode Plain = (UnixFileMode)0b110_100_100;

    public static async Task<NewLayer> CreateAsync(BlobStore store, string createdBy, params TestFile[] files)
    {
        string source = Path.Combine(Path.GetTempPath(), "mab-layer-src-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var file in files) Materialize(source, file);
            var result = await new LayerWriter().WriteAsync(LayerEntries.FromDirectory(source, "/"), store, default);
            return new NewLayer(result.Descriptor, result.DiffId, store, createdBy, "test layer");
        }
        finally
        {
            if (Directory.Exists(source)) Directory.Delete(source, recursive: true);
        }
    }

    private static void Materialize(string root, TestFile file)
    {
        string path = Path.Combine(root, file.Path);
        if (file.Content is null) Directory.CreateDirectory(path);
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content);
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, file.Mode);
    }
}
