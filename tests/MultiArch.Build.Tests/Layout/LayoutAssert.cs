using MultiArch.Build.Layout;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layout;

/// <summary>Checks that everything a layout's index.json reaches is present and matches its digest.</summary>
public static class LayoutAssert
{
    public static async Task CompleteAsync(string layout)
    {
        using var reader = await OciLayoutReader.OpenAsync(layout);
        foreach (var entry in reader.Index.Manifests) Walk(reader, entry);
    }

    private static void Walk(OciLayoutReader reader, Descriptor descriptor)
    {
        if (MediaTypes.IsIndex(descriptor.MediaType))
        {
            foreach (var child in reader.ReadIndex(descriptor).Manifests) Walk(reader, child);
            return;
        }
        var manifest = reader.ReadManifest(descriptor);
        reader.ReadConfig(manifest.Config);
        foreach (var layer in manifest.Layers)
        {
            using var stream = reader.OpenReadAsync(layer, default).Result;
            Assert.Equal(layer.Digest, Digest.Compute(stream));
        }
    }
}
