using System.IO.Compression;
using MultiArch.Build.Blobs;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layers;

/// <summary>The per-user layer cache: where it lives, what it keeps, that a hit is the blob the writer would write, and its bounds.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UserLayerCacheTests : IDisposable
{
    private readonly ScratchFolder _scratch = new();
    private readonly BlobStore _obj;
    private readonly UserLayerCache _cache;

    public UserLayerCacheTests()
    {
        _obj = new BlobStore(_scratch.Combine("obj-blobs"));
        _cache = new UserLayerCache(_scratch.Combine("user"));
    }

    private string BigFile(string name, int seed)
    {
        string path = _scratch.Combine("src", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[(int)UserLayerCache.MinimumTarSize + 4096];
        new Random(seed).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, GoldenTree.Rw_r__r__);
        return path;
    }

    private async Task<LayerResult> WriteAsync(LayerWriter writer, params string[] files)
    {
        var entries = files.Select(f => LayerEntry.File("/app/" + Path.GetFileName(f), f, GoldenTree.Rw_r__r__)).ToList();
        return await writer.WriteAsync(entries, _obj, CancellationToken.None);
    }

    [Fact]
    public async Task OnlyALayerThatCanReachTheMinimumSizeIsLookedFor()
    {
        string small = _scratch.File("src/app.dll", "app", GoldenTree.Rw_r__r__);
        string big = BigFile("runtime.so", seed: 9);
        var smallEntries = new[] { LayerEntry.Directory("/app"), LayerEntry.File("/app/app.dll", small, GoldenTree.Rw_r__r__) };
        var bigEntries = new[] { LayerEntry.File("/app/runtime.so", big, GoldenTree.Rw_r__r__) };

        Assert.False(UserLayerCache.MayHold(smallEntries));
        Assert.True(UserLayerCache.MayHold(bigEntries));
        // The bound is never below the tar the writer makes: every layer the cache keeps is one it may hold.
        var written = await WriteAsync(new LayerWriter(LayerGoldenTests.FixedOptions), big);
        Assert.True(written.UncompressedSize >= UserLayerCache.MinimumTarSize);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void TheFolderComesFromTheEnvironment()
    {
        Assert.Equal("/custom/cache", UserLayerCache.FromEnvironment(Env(("MULTIARCH_CACHE_DIR", "/custom/cache"), ("HOME", "/home/u")))!.Root);
        Assert.Null(UserLayerCache.FromEnvironment(Env(("MULTIARCH_CACHE_DIR", "off"), ("HOME", "/home/u"))));
        Assert.Null(UserLayerCache.FromEnvironment(Env(("MULTIARCH_CACHE_DIR", "OFF"))));
        Assert.Equal("/xdg/multiarch", UserLayerCache.FromEnvironment(Env(("XDG_CACHE_HOME", "/xdg"), ("HOME", "/home/u")))!.Root);
        // A relative XDG_CACHE_HOME is invalid by the XDG spec and ignored.
        Assert.Equal("/home/u/.cache/multiarch", UserLayerCache.FromEnvironment(Env(("XDG_CACHE_HOME", "rel"), ("HOME", "/home/u")))!.Root);
        Assert.Equal("/home/u/.cache/multiarch", UserLayerCache.FromEnvironment(Env(("HOME", "/home/u")))!.Root);
    }

    [Fact]
    public async Task AKeptLayerIsFoundByItsDiffIdAndIsTheBlobTheWriterWrites()
    {
        var writer = new LayerWriter();
        var written = await WriteAsync(writer, BigFile("Runtime.dll", 1));
        Assert.True(_cache.IsEmpty(writer.Options));

        Assert.True(_cache.Record(written, _obj, writer.Options));
        Directory.Delete(_obj.Root, recursive: true); // `dotnet clean`, or a fresh clone

        var found = _cache.Find(written.DiffId, writer.Options);
        Assert.NotNull(found);
        Assert.Equal(written.Descriptor.ToString(), found.Descriptor.ToString());
        Assert.Equal((written.DiffId, written.UncompressedSize), (found.DiffId, found.UncompressedSize));
        Assert.False(_cache.IsEmpty(writer.Options));
        Assert.Equal(written.Descriptor.Digest, Digest.Compute(await File.ReadAllBytesAsync(_cache.Blobs.PathFor(written.Descriptor.Digest))));
    }

    [Fact]
    public async Task ALayerIsFoundOnlyForTheCompressionAndLevelItWasWrittenWith()
    {
        var writer = new LayerWriter();
        var written = await WriteAsync(writer, BigFile("Runtime.dll", 2));
        _cache.Record(written, _obj, writer.Options);

        Assert.Null(_cache.Find(written.DiffId, new LayerWriterOptions { CompressionLevel = CompressionLevel.Fastest }));
        Assert.Null(_cache.Find(written.DiffId, new LayerWriterOptions { Compression = LayerCompression.Zstd }));
        Assert.True(_cache.IsEmpty(new LayerWriterOptions { Compression = LayerCompression.Zstd }));
    }

    [Fact]
    public async Task ASmallLayerIsNotKept()
    {
        string small = _scratch.File("src/App.dll", "app", GoldenTree.Rw_r__r__);
        var writer = new LayerWriter();
        var written = await WriteAsync(writer, small);

        Assert.False(_cache.Record(written, _obj, writer.Options));
        Assert.Null(_cache.Find(written.DiffId, writer.Options));
        Assert.True(_cache.IsEmpty(writer.Options));
    }

    [Fact]
    public async Task ABlobRemovedFromTheCacheIsAMiss()
    {
        var writer = new LayerWriter();
        var written = await WriteAsync(writer, BigFile("Runtime.dll", 3));
        _cache.Record(written, _obj, writer.Options);
        File.Delete(_cache.Blobs.PathFor(written.Descriptor.Digest));

        Assert.Null(_cache.Find(written.DiffId, writer.Options));
    }

    [Fact]
    public async Task PruningKeepsTheMostRecentlyUsedLayersWithinTheSizeAndDropsUnusedOnes()
    {
        var writer = new LayerWriter();
        var old = await WriteAsync(writer, BigFile("Old.dll", 4));
        var used = await WriteAsync(writer, BigFile("Used.dll", 5));
        var recent = await WriteAsync(writer, BigFile("Recent.dll", 6));
        foreach (var layer in new[] { old, used, recent }) _cache.Record(layer, _obj, writer.Options);
        string entries = Directory.GetDirectories(Path.Combine(_cache.Root, "layers")).Single();
        File.SetLastWriteTimeUtc(Path.Combine(entries, old.DiffId.Hex + ".json"), DateTime.UtcNow.AddDays(-30));
        File.SetLastWriteTimeUtc(Path.Combine(entries, used.DiffId.Hex + ".json"), DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(Path.Combine(entries, recent.DiffId.Hex + ".json"), DateTime.UtcNow.AddHours(-3));
        Assert.NotNull(_cache.Find(used.DiffId, writer.Options)); // a hit makes it the most recently used

        // Room for one blob: the 30-day-old entry goes by age, then the least recently used one by size.
        int removed = _cache.Prune(LayerCache.DefaultRetention, maxBytes: used.Descriptor.Size + 1024);

        Assert.Equal(2, removed);
        Assert.NotNull(_cache.Find(used.DiffId, writer.Options));
        Assert.Null(_cache.Find(recent.DiffId, writer.Options));
        Assert.Null(_cache.Find(old.DiffId, writer.Options));
        Assert.False(_cache.Blobs.Contains(old.Descriptor.Digest));
        Assert.False(_cache.Blobs.Contains(recent.Descriptor.Digest));
    }

    [Fact]
    public void ACacheThatCannotBeWrittenIsSkipped()
    {
        // A file where the cache's folder would be: every write fails, and the cache just misses.
        string blocked = _scratch.File("blocked", "not a folder", GoldenTree.Rw_r__r__);
        var cache = new UserLayerCache(Path.Combine(blocked, "cache"));
        var layer = new LayerResult(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Compute([1]), Size = 1 }, Digest.Compute([2]), UserLayerCache.MinimumTarSize);

        Assert.False(cache.Record(layer, _obj, LayerWriterOptions.Default));
        Assert.True(cache.IsEmpty(LayerWriterOptions.Default));
        Assert.Equal(0, cache.Prune(LayerCache.DefaultRetention));
    }

    [Fact]
    public async Task TheTarHashIsTheDiffIdAndSizeTheWriterGives()
    {
        string small = _scratch.File("src/App.dll", "app", GoldenTree.Rw_r__r__);
        var entries = LayerTree.Arrange([LayerEntry.File("/app/App.dll", small, GoldenTree.Rw_r__r__), LayerEntry.File("/app/Big.dll", BigFile("Big.dll", 7), GoldenTree.Rw_r__r__)]);
        foreach (var compression in new[] { LayerCompression.Gzip, LayerCompression.Zstd, LayerCompression.None })
        {
            var writer = new LayerWriter(new LayerWriterOptions { Compression = compression });
            var written = await writer.WriteArrangedAsync(entries, _obj, null, CancellationToken.None);

            var hashed = await writer.HashTarAsync(entries, CancellationToken.None);

            Assert.Equal(written.DiffId, hashed.DiffId);
            Assert.Equal(written.UncompressedSize, hashed.Size);
        }
    }

    public void Dispose() => _scratch.Dispose();
}
