using System.IO.Compression;
using System.Security.Cryptography;
using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.PushBench;

/// <summary>
/// Writes an OCI image layout with a two-platform index (linux/amd64, linux/arm64) of random,
/// incompressible gzip layers: two layers shared by both platforms and four of each platform's
/// own, about <c>totalMiB</c> in all. Real gzip, so no tool recompresses it.
/// </summary>
internal static class RandomLayout
{
    private const int LayersShared = 2;
    private const int LayersPerPlatform = 4;

    public static int Write(string layout, int totalMiB)
    {
        Directory.CreateDirectory(layout);
        var store = new BlobStore(Path.Combine(layout, "blobs"));
        long layerSize = (long)totalMiB * 1024 * 1024 / (LayersShared + 2 * LayersPerPlatform);
        var shared = Enumerable.Range(0, LayersShared).Select(_ => Layer(store, layerSize)).ToList();
        var platforms = new[] { new Platform { OS = "linux", Architecture = "amd64" }, new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" } };
        var manifests = platforms.Select(p => Manifest(store, p, [.. shared, .. Enumerable.Range(0, LayersPerPlatform).Select(_ => Layer(store, layerSize))])).ToList();
        var index = new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = manifests };
        var indexDescriptor = store.Put(MediaTypes.OciIndex, OciJson.Serialize(index));
        indexDescriptor.Annotations = new StringMap { ["org.opencontainers.image.ref.name"] = "bench" };
        File.WriteAllBytes(Path.Combine(layout, "index.json"), OciJson.Serialize(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = [indexDescriptor] }));
        File.WriteAllText(Path.Combine(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Console.WriteLine($"wrote {layout}: {2 * LayersPerPlatform + LayersShared} layers of {layerSize} bytes");
        return 0;
    }

    private static Descriptor Manifest(BlobStore store, Platform platform, List<Descriptor> layers)
    {
        var config = new ImageConfig { OS = platform.OS, Architecture = platform.Architecture, Variant = platform.Variant, RootFs = new RootFs { DiffIds = layers.Select(l => l.Digest).ToList() } };
        var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, Config = store.Put(MediaTypes.OciConfig, OciJson.Serialize(config)), Layers = layers };
        var descriptor = store.Put(MediaTypes.OciManifest, OciJson.Serialize(manifest));
        descriptor.Platform = platform;
        return descriptor;
    }

    private static Descriptor Layer(BlobStore store, long size)
    {
        var (temp, stream) = store.CreateTemp();
        using (stream)
        {
            using (var gzip = new GZipStream(stream, CompressionLevel.NoCompression, leaveOpen: true))
            {
                var buffer = new byte[1 << 20];
                for (long left = size; left > 0; left -= buffer.Length)
                {
                    RandomNumberGenerator.Fill(buffer);
                    gzip.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
                }
            }
            stream.Position = 0;
            var digest = Digest.Compute(stream);
            long length = stream.Length;
            stream.Dispose();
            store.Commit(temp, digest);
            return new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = digest, Size = length };
        }
    }
}
