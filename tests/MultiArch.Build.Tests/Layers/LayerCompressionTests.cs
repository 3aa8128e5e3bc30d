using System.IO.Compression;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;
using MultiArch.Build.Testing;

namespace MultiArch.Build.Tests.Layers;

/// <summary>Layers compressed on several threads: the same bytes for any thread count, and readable by the real tools.</summary>
public class LayerCompressionTests
{
    private static readonly LayerWriterOptions Options = LayerGoldenTests.FixedOptions;

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task OneTwoAndEightThreadsWriteTheSameBlob(LayerCompression compression)
    {
        using var folder = new ScratchFolder();
        var entries = LayerEntries.FromDirectory(MultiBlockTree.Create(folder), "/app");

        var results = new List<(LayerResult Result, byte[] Blob)>();
        foreach (int threads in new[] { 1, 2, 8 })
        {
            var store = new BlobStore(folder.Combine($"blobs-{threads}"));
            var result = await new LayerWriter(Options with { Compression = compression, CompressionThreads = threads }).WriteAsync(entries, store, default);
            results.Add((result, File.ReadAllBytes(LayerBlob.PathOf(store, result))));
        }
        var plain = await new LayerWriter(Options with { Compression = LayerCompression.None }).WriteAsync(entries, new BlobStore(folder.Combine("plain")), default);

        Assert.True(plain.UncompressedSize > 4 * GzipBlockFormat.Size, "the tree must span several blocks");
        Assert.All(results, r => Assert.Equal(results[0].Blob, r.Blob));
        Assert.All(results, r => Assert.Equal(Key(results[0].Result), Key(r.Result)));
        Assert.Equal(plain.DiffId, results[0].Result.DiffId);
        Assert.Equal(LayerCompressions.MediaTypeOf(compression), results[0].Result.Descriptor.MediaType);
    }

    [Fact]
    public async Task GzipAndTarReadAMultiBlockGzipLayer()
    {
        using var folder = new ScratchFolder();
        string root = MultiBlockTree.Create(folder);
        var store = new BlobStore(folder.Combine("blobs"));
        var result = await new LayerWriter(Options with { CompressionThreads = 2 }).WriteAsync(LayerEntries.FromDirectory(root, "/app"), store, default);
        string blob = LayerBlob.PathOf(store, result);

        ProcessRunner.RunChecked("gzip", ["-t", blob]);
        string listing = ProcessRunner.RunChecked("tar", ["-tzf", blob]).Output;
        string sha256 = ProcessRunner.RunChecked("sh", ["-c", "gzip -dc \"$1\" | sha256sum", "sh", blob]).Output;

        Assert.Contains("app/native/libapp.so", listing.Split('\n'));
        Assert.Contains("app/wwwroot/file19.js", listing.Split('\n'));
        Assert.Equal(result.DiffId.Hex, sha256.Split(' ')[0]);
        Assert.Equal(LayerBlob.TarSha256(store, result), result.DiffId.ToString());
    }

    [Fact]
    public async Task TheZstdCliReadsAZstdLayer()
    {
        using var folder = new ScratchFolder();
        string root = MultiBlockTree.Create(folder);
        var store = new BlobStore(folder.Combine("blobs"));
        var result = await new LayerWriter(Options with { Compression = LayerCompression.Zstd, CompressionThreads = 2 })
            .WriteAsync(LayerEntries.FromDirectory(root, "/app"), store, default);
        string blob = LayerBlob.PathOf(store, result);

        ProcessRunner.RunChecked("zstd", ["-t", "-q", blob]);
        string sha256 = ProcessRunner.RunChecked("sh", ["-c", "zstd -dc \"$1\" | sha256sum", "sh", blob]).Output;
        string listing = ProcessRunner.RunChecked("sh", ["-c", "zstd -dc \"$1\" | tar -tf -", "sh", blob]).Output;

        Assert.Equal(MediaTypes.OciLayerZstd, result.Descriptor.MediaType);
        Assert.Equal(result.DiffId.Hex, sha256.Split(' ')[0]);
        Assert.Contains("app/App.dll", listing.Split('\n'));
        Assert.Equal(LayerBlob.BlobSha256(store, result), result.Descriptor.Digest.ToString());
    }

    [Fact]
    public async Task ASmallZstdLayerIsOneFrameTheCliReads()
    {
        using var folder = new ScratchFolder();
        string root = GoldenTree.Create(folder);
        var store = new BlobStore(folder.Combine("blobs"));
        var result = await new LayerWriter(Options with { Compression = LayerCompression.Zstd }).WriteAsync(LayerEntries.FromDirectory(root, "/app"), store, default);

        string sha256 = ProcessRunner.RunChecked("sh", ["-c", "zstd -dc \"$1\" | sha256sum", "sh", LayerBlob.PathOf(store, result)]).Output;
        Assert.Equal(result.DiffId.Hex, sha256.Split(' ')[0]);
        Assert.Equal(GoldenTree.Expected.Select(e => e.Name), SystemTar.Listing(LayerBlob.PathOf(store, result)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5]));
    }

    [Fact]
    public async Task BlocksCostLittleSizeAgainstOneGzipStream()
    {
        using var folder = new ScratchFolder();
        string root = MultiBlockTree.Create(folder);
        var store = new BlobStore(folder.Combine("blobs"));
        var plain = await new LayerWriter(Options with { Compression = LayerCompression.None }).WriteAsync(LayerEntries.FromDirectory(root, "/app"), store, default);
        var blocks = await new LayerWriter(Options).WriteAsync(LayerEntries.FromDirectory(root, "/app"), store, default);

        var single = new MemoryStream();
        using (var gzip = new GZipStream(single, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = File.OpenRead(LayerBlob.PathOf(store, plain)))
            tar.CopyTo(gzip);

        double overhead = (double)blocks.Descriptor.Size / single.Length - 1;
        Assert.InRange(overhead, -0.01, 0.01);
    }

    [Fact]
    public async Task SeveralLayersCanBeWrittenAtOnce()
    {
        using var folder = new ScratchFolder();
        var trees = new[] { MultiBlockTree.Create(folder, seed: 1), GoldenTree.Create(folder) };
        var layers = trees.Select(t => LayerEntries.FromDirectory(t, "/app")).Append([]).ToList();
        var writer = new LayerWriter(Options with { CompressionThreads = 2 });

        var sequential = new List<LayerResult>();
        foreach (var layer in layers) sequential.Add(await writer.WriteAsync(layer, new BlobStore(folder.Combine("one-by-one")), default));
        var store = new BlobStore(folder.Combine("at-once"));
        var parallel = await Task.WhenAll(layers.Select(layer => Task.Run(() => writer.WriteAsync(layer, store, default))));

        Assert.Equal(sequential.Select(Key), parallel.Select(Key));
        Assert.All(parallel, r => Assert.Equal(r.DiffId.ToString(), LayerBlob.TarSha256(store, r)));
    }

    private static (Digest, long, string, Digest, long) Key(LayerResult r) =>
        (r.Descriptor.Digest, r.Descriptor.Size, r.Descriptor.MediaType, r.DiffId, r.UncompressedSize);

    [Theory]
    [InlineData(null, LayerCompression.Gzip)]
    [InlineData("", LayerCompression.Gzip)]
    [InlineData("gzip", LayerCompression.Gzip)]
    [InlineData(" Zstd ", LayerCompression.Zstd)]
    [InlineData("ZSTD", LayerCompression.Zstd)]
    public void ContainerLayerCompressionIsGzipOrZstd(string? value, LayerCompression expected) =>
        Assert.Equal(expected, LayerCompressions.Parse(value));

    [Theory]
    [InlineData("brotli")]
    [InlineData("none")]
    [InlineData("tar+zstd")]
    public void AnUnknownCompressionIsACodedError(string value)
    {
        var error = Assert.Throws<MabException>(() => LayerCompressions.Parse(value));
        Assert.Equal(ErrorCode.InvalidLayerCompression, error.Code);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void ZstdLayersAreForOciImagesOnly()
    {
        var error = Assert.Throws<MabException>(() => LayerCompressions.EnsureSupportedBy(LayerCompression.Zstd, ImageFormat.Docker));

        Assert.Equal(ErrorCode.LayerCompressionNeedsOci, error.Code);
        Assert.Contains("ContainerImageFormat=OCI", error.Message);
        LayerCompressions.EnsureSupportedBy(LayerCompression.Zstd, ImageFormat.Oci);
        LayerCompressions.EnsureSupportedBy(LayerCompression.Gzip, ImageFormat.Docker);
        LayerCompressions.EnsureSupportedBy(LayerCompression.Gzip, ImageFormat.Oci);
    }
}
