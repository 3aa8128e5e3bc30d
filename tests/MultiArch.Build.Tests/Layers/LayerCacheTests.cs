using MultiArch.Build.Blobs;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LayerCacheTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();
    private readonly BlobStore _store;
    private readonly LayerCache _cache;
    private readonly LayerWriter _writer = new();

    public LayerCacheTests()
    {
        _store = new BlobStore(_scratch.Combine("blobs"));
        _cache = new LayerCache(_scratch.Combine("layers"), _store);
        _scratch.File("src/App.dll", "app v1", GoldenTree.Rw_r__r__);
        _scratch.File("src/App", "#!/bin/sh", GoldenTree.Rwxr_xr_x);
    }

    private LayerEntry[] Entries() =>
    [
        LayerEntry.File("/app/App.dll", _scratch.Combine("src/App.dll"), GoldenTree.Rw_r__r__),
        LayerEntry.File("/app/App", _scratch.Combine("src/App"), GoldenTree.Rwxr_xr_x),
    ];

    /// <summary>A layer and whether the cache supplied it (nothing was written) or it was written now.</summary>
    private sealed record CachedLayerResult(LayerResult Layer, bool FromCache);

    /// <summary>What the image build does with the cache: the recorded layer when its inputs are unchanged, else written and recorded.</summary>
    private async Task<CachedLayerResult> Run(LayerEntry[]? entries = null, LayerWriter? writer = null)
    {
        var arranged = LayerTree.Arrange(entries ?? Entries());
        writer ??= _writer;
        if (_cache.Find(arranged, writer.Options) is { } cached) return new CachedLayerResult(cached, FromCache: true);
        return new CachedLayerResult(await _cache.WriteAsync(arranged, writer, CancellationToken.None), FromCache: false);
    }

    [Fact]
    public async Task UnchangedInputsReuseTheLayerWithoutWritingIt()
    {
        var first = await Run();
        // Writing a layer creates and renames a temp file in the blob folder, and recording it does the
        // same in the cache folder; either would move the folder's mtime off this past time.
        var past = DateTime.UtcNow.AddHours(-1);
        string blobFolder = Path.Combine(_store.Root, "sha256");
        Directory.SetLastWriteTimeUtc(blobFolder, past);
        Directory.SetLastWriteTimeUtc(_cache.Directory, past);

        var second = await Run();

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        AssertSame(first.Layer, second.Layer);
        Assert.Equal(past, Directory.GetLastWriteTimeUtc(blobFolder));
        Assert.Equal(past, Directory.GetLastWriteTimeUtc(_cache.Directory));
    }

    [Fact]
    public async Task TheWriterSeesTheSameContentsTheFingerprintReads()
    {
        // The cache records a layer under the contents the writer read (so a file replaced between
        // fingerprinting and writing is filed under what was written); that must equal the fingerprint
        // taken from disk when nothing changed, or no layer would ever be found again.
        var arranged = LayerTree.Arrange(Entries());
        var contents = new List<TarStreamWriter.FileContent>();
        await _writer.WriteArrangedAsync(arranged, _store, contents, CancellationToken.None);

        Assert.Equal(2, contents.Count);
        Assert.Equal(LayerFingerprint.Compute(arranged, _writer.Options), LayerFingerprint.Compute(arranged, _writer.Options, contents));
        _scratch.File("src/App.dll", "app v2", GoldenTree.Rw_r__r__);
        Assert.NotEqual(LayerFingerprint.Compute(arranged, _writer.Options), LayerFingerprint.Compute(arranged, _writer.Options, contents));
    }

    [Fact]
    public async Task CachedResultMatchesAFreshWrite()
    {
        await Run();
        var cached = await Run();
        var fresh = await _writer.WriteAsync(Entries(), new BlobStore(_scratch.Combine("fresh")), CancellationToken.None);

        Assert.True(cached.FromCache);
        AssertSame(fresh, cached.Layer);
        Assert.Equal(cached.Layer.DiffId.ToString(), LayerBlob.TarSha256(_store, cached.Layer));
    }

    [Fact]
    public async Task ANewMtimeAloneStillHits()
    {
        var first = await Run();
        File.SetLastWriteTimeUtc(_scratch.Combine("src/App.dll"), DateTime.UtcNow.AddDays(1));

        var second = await Run();

        Assert.True(second.FromCache);
        Assert.Equal(first.Layer.Descriptor.Digest, second.Layer.Descriptor.Digest);
    }

    [Fact]
    public async Task ChangedContentOfTheSameSizeMisses()
    {
        var first = await Run();
        File.WriteAllText(_scratch.Combine("src/App.dll"), "app v2");

        var second = await Run();

        Assert.False(second.FromCache);
        Assert.NotEqual(first.Layer.Descriptor.Digest, second.Layer.Descriptor.Digest);
    }

    [Fact]
    public async Task ChangedModeOrPathMisses()
    {
        var first = await Run();
        var entries = Entries();

        var mode = await Run([entries[0] with { Mode = GoldenTree.Rwxr_xr_x }, entries[1]]);
        var path = await Run([entries[0] with { ImagePath = "/srv/App.dll" }, entries[1]]);

        Assert.False(mode.FromCache);
        Assert.False(path.FromCache);
        Assert.Equal(3, new[] { first, mode, path }.Select(r => r.Layer.Descriptor.Digest).Distinct().Count());
    }

    [Fact]
    public async Task ChangedWriterOptionsMiss()
    {
        var first = await Run();

        var second = await Run(writer: new LayerWriter(new LayerWriterOptions { Mtime = 1_700_000_000 }));

        Assert.False(second.FromCache);
        Assert.NotEqual(first.Layer.DiffId, second.Layer.DiffId);
    }

    [Fact]
    public async Task TheCompressionIsPartOfTheKey()
    {
        var gzip = await Run();

        var zstd = await Run(writer: new LayerWriter(new LayerWriterOptions { Compression = LayerCompression.Zstd }));
        var zstdAgain = await Run(writer: new LayerWriter(new LayerWriterOptions { Compression = LayerCompression.Zstd }));
        var gzipAgain = await Run();

        Assert.False(zstd.FromCache);
        Assert.Equal(MultiArch.Build.Oci.MediaTypes.OciLayerZstd, zstd.Layer.Descriptor.MediaType);
        Assert.Equal(gzip.Layer.DiffId, zstd.Layer.DiffId);
        Assert.NotEqual(gzip.Layer.Descriptor.Digest, zstd.Layer.Descriptor.Digest);
        Assert.True(zstdAgain.FromCache);
        AssertSame(zstd.Layer, zstdAgain.Layer);
        Assert.True(gzipAgain.FromCache);
        AssertSame(gzip.Layer, gzipAgain.Layer);
        Assert.NotEqual(LayerFingerprint.Compute(LayerTree.Arrange(Entries()), new LayerWriterOptions()),
            LayerFingerprint.Compute(LayerTree.Arrange(Entries()), new LayerWriterOptions { Compression = LayerCompression.Zstd }));
    }

    [Fact]
    public async Task TheThreadCountIsNotPartOfTheKey()
    {
        // It never changes the bytes, so a machine with more cores reuses what another wrote.
        var first = await Run(writer: new LayerWriter(new LayerWriterOptions { CompressionThreads = 1 }));

        var second = await Run(writer: new LayerWriter(new LayerWriterOptions { CompressionThreads = 8 }));

        Assert.True(second.FromCache);
        AssertSame(first.Layer, second.Layer);
    }

    [Fact]
    public async Task AMissingBlobIsWrittenAgain()
    {
        var first = await Run();
        File.Delete(LayerBlob.PathOf(_store, first.Layer));

        var second = await Run();

        Assert.False(second.FromCache);
        AssertSame(first.Layer, second.Layer);
        Assert.True(_store.Contains(second.Layer.Descriptor.Digest));
    }

    [Fact]
    public async Task ADamagedEntryIsWrittenAgain()
    {
        var first = await Run();
        foreach (string entry in Directory.GetFiles(_cache.Directory)) File.WriteAllText(entry, "{ not json");

        var second = await Run();
        var third = await Run();

        Assert.False(second.FromCache);
        Assert.True(third.FromCache);
        AssertSame(first.Layer, third.Layer);
    }

    [Fact]
    public async Task PruneDropsLayersUnusedForTheRetentionAndTheirBlobs()
    {
        var old = await Run();
        File.WriteAllText(_scratch.Combine("src/App.dll"), "app v2");
        var recent = await Run();
        foreach (string entry in Directory.GetFiles(_cache.Directory))
        {
            if (File.ReadAllText(entry).Contains(old.Layer.Descriptor.Digest.ToString(), StringComparison.Ordinal))
                File.SetLastWriteTimeUtc(entry, DateTime.UtcNow.AddDays(-8));
        }

        int pruned = _cache.Prune(TimeSpan.FromDays(7));

        Assert.Equal(1, pruned);
        Assert.False(_store.Contains(old.Layer.Descriptor.Digest));
        Assert.True(_store.Contains(recent.Layer.Descriptor.Digest));
        Assert.Single(Directory.GetFiles(_cache.Directory));
        Assert.True((await Run()).FromCache);
    }

    [Fact]
    public async Task AHitKeepsALayerFromBeingPruned()
    {
        var first = await Run();
        foreach (string entry in Directory.GetFiles(_cache.Directory)) File.SetLastWriteTimeUtc(entry, DateTime.UtcNow.AddDays(-8));

        Assert.True((await Run()).FromCache);
        int pruned = _cache.Prune(TimeSpan.FromDays(7));

        Assert.Equal(0, pruned);
        Assert.True(_store.Contains(first.Layer.Descriptor.Digest));
    }

    private static void AssertSame(LayerResult expected, LayerResult actual)
    {
        Assert.Equal(expected.Descriptor.Digest, actual.Descriptor.Digest);
        Assert.Equal(expected.Descriptor.Size, actual.Descriptor.Size);
        Assert.Equal(expected.Descriptor.MediaType, actual.Descriptor.MediaType);
        Assert.Equal(expected.DiffId, actual.DiffId);
        Assert.Equal(expected.UncompressedSize, actual.UncompressedSize);
    }

    public void Dispose() => _scratch.Dispose();
}
