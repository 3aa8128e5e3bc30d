using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.PushBench;

/// <summary>Reads the first image index of an OCI image layout into the model destinations take.</summary>
internal static class LayoutIndex
{
    public static IndexArtifact Read(string layout)
    {
        var store = new BlobStore(Path.Combine(layout, "blobs"));
        var top = OciJson.DeserializeIndex(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        var entry = top.Manifests.FirstOrDefault(m => MediaTypes.IsIndex(m.MediaType))
            ?? throw new InvalidOperationException($"{layout}/index.json names no image index.");
        byte[] indexBytes = File.ReadAllBytes(store.PathFor(entry.Digest));
        var index = OciJson.DeserializeIndex(indexBytes);
        var images = index.Manifests.Select(child =>
        {
            byte[] bytes = File.ReadAllBytes(store.PathFor(child.Digest));
            var manifest = OciJson.DeserializeManifest(bytes);
            var blobs = new[] { manifest.Config }.Concat(manifest.Layers).Select(d => new BlobContent(d, store)).ToList();
            return new ImageArtifact(manifest, bytes, child.Platform, blobs);
        }).ToList();
        return new IndexArtifact(index, indexBytes, images);
    }
}
