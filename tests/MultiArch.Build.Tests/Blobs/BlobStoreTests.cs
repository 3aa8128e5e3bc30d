using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Blobs;

public sealed class BlobStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mab-blobs").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task PutCopiesAndVerifiesInOnePass()
    {
        var source = new MemoryBlobSource();
        byte[] content = new byte[200_000];
        new Random(7).NextBytes(content);
        var descriptor = source.Add(MediaTypes.OciLayerGzip, content);
        var store = new BlobStore(_root);

        await store.PutAsync(descriptor, source, default);

        Assert.Equal(content, File.ReadAllBytes(store.PathFor(descriptor.Digest)));
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "sha256")));
    }

    [Fact]
    public async Task ContentThatDoesNotHashToItsDigestIsRefusedAndLeavesNothing()
    {
        var source = new MemoryBlobSource();
        var real = source.Add(MediaTypes.OciLayerGzip, "real"u8.ToArray());
        var claimed = new Descriptor { MediaType = real.MediaType, Digest = Digest.Compute("claimed"u8), Size = real.Size };
        var store = new BlobStore(_root);

        var ex = await Assert.ThrowsAsync<MabException>(() => store.PutAsync(claimed, new RenamedSource(source, real), default));

        Assert.Equal(ErrorCode.DigestMismatch, ex.Code);
        Assert.False(store.Contains(claimed.Digest));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "sha256")));
    }

    /// <summary>Serves <paramref name="actual"/>'s bytes whatever descriptor is asked for: a corrupt source.</summary>
    private sealed class RenamedSource(MemoryBlobSource inner, Descriptor actual) : IBlobSource
    {
        public Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken) => inner.OpenReadAsync(actual, cancellationToken);
    }
}
