using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using MultiArch.Build.Blobs;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Benchmarks;

/// <summary>
/// <c>layer &lt;folder&gt;</c>: writes the folder as one layer into a blob store and prints the
/// digest, the diff_id, the tar and blob sizes, the time and the throughput (tar bytes per second).
/// <c>--threads</c> 0 (the default) lets the writer use one thread per core.
/// </summary>
internal sealed record LayerCommand(string Folder, string OutDir, string ImageRoot, CompressionLevel Level, LayerCompression Compression, int Threads)
{
    public static LayerCommand Parse(string[] args)
    {
        string folder = args[0];
        string outDir = Path.Combine(Path.GetTempPath(), "mab-bench-blobs");
        string imageRoot = "/app";
        var level = CompressionLevel.Optimal;
        var compression = LayerCompression.Gzip;
        int threads = 0;
        for (int i = 1; i < args.Length; i += 2)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--out": outDir = value; break;
                case "--image-root": imageRoot = value; break;
                case "--level": level = ParseLevel(value); break;
                case "--compression": compression = LayerCompressions.Parse(value); break;
                case "--threads": threads = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        return new LayerCommand(folder, outDir, imageRoot, level, compression, threads);
    }

    public async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var entries = LayerEntries.FromDirectory(Folder, ImageRoot);
        var writer = new LayerWriter(new LayerWriterOptions { CompressionLevel = Level, Compression = Compression, CompressionThreads = Threads });
        var result = await writer.WriteAsync(entries, new BlobStore(OutDir), cancellationToken);
        double seconds = stopwatch.Elapsed.TotalSeconds;
        double megabytesPerSecond = result.UncompressedSize / 1e6 / seconds;
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine($"digest: {result.Descriptor.Digest}");
        output.WriteLine($"diff_id: {result.DiffId}");
        output.WriteLine($"media_type: {result.Descriptor.MediaType}");
        output.WriteLine(string.Create(invariant, $"bytes: {result.UncompressedSize} tar, {result.Descriptor.Size} {Compression.ToString().ToLowerInvariant()}"));
        output.WriteLine(string.Create(invariant, $"seconds: {seconds:F3}"));
        output.WriteLine(string.Create(invariant, $"MB/s: {megabytesPerSecond:F1}"));
    }

    private static CompressionLevel ParseLevel(string value) => value switch
    {
        "optimal" => CompressionLevel.Optimal,
        "fastest" => CompressionLevel.Fastest,
        "smallest" => CompressionLevel.SmallestSize,
        _ => throw new ArgumentException($"Unknown level '{value}' (optimal, fastest, smallest)."),
    };
}
