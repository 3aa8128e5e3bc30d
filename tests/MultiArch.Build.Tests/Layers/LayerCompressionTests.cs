using System.IO.Compression;
using MultiArch.Build.Blobs;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;
using MultiArch.Build.Testing;

namespace MultiArch.Build.Tests.Layers;

/// <summary>Layers compressed on several threads: the same bytes for any thread count, and readable by the real tools.</summary>
public class LayerCompressionTests
{
    private static readonly LayerWriterOptions Options = LayerGoldenTests.FixedOptions;

    [Fact]
    public async Task OneTwoAndEightThreadsWriteTheSameBlob()
    {
        using var folder = new ScratchFolder();
        var entries = LayerEntries.FromDirectory(MultiBlockTree.Create(folder), "/app");

        var results = new List<(LayerResult Result, byte[] Blob)>();
        foreach (int threads in new[] { 1, 2, 8 })
        {
            var store = new BlobStore(folder.Combine($"blobs-{threads}"));
            var result = await new LayerWriter(Options with { CompressionThreads = threads }).WriteAsync(entries, store, default);
            results.Add((result, File.ReadAllBytes(LayerBlob.PathOf(store, result))));
        }
        var plain = await new LayerWriter(Options with { MediaType = MediaTypes.OciLayerTar }).WriteAsync(entries, new BlobStore(folder.Combine("plain")), default);

        Assert.True(plain.UncompressedSize > 4 * GzipBlockFormat.Size, "the tree must span several blocks");
        Assert.All(results, r => Assert.Equal(results[0].Blob, r.Blob));
        Assert.All(results, r => Assert.Equal(Key(results[0].Result), Key(r.Result)));
        Assert.Equal(plain.DiffId, results[0].Result.DiffId);
        Assert.Equal(MediaTypes.OciLayerGzip, results[0].Result.Descriptor.MediaType);
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
    public async Task BlocksCostLittleSizeAgainstOneGzipStream()
    {
        using var folder = new ScratchFolder();
        string root = MultiBlockTree.Create(folder);
        var store = new BlobStore(folder.Combine("blobs"));
        var plain = await new LayerWriter(Options with { MediaType = MediaTypes.OciLayerTar }).WriteAsync(LayerEntries.FromDirectory(root, "/app"), store, default);
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
}
