using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Images;

/// <summary>
/// Builds one platform image: the base image plus new layers and config edits give a new config and a
/// new manifest. The output is canonical JSON, so the same inputs always give the same manifest digest.
/// </summary>
public static class ImageBuilder
{
    /// <param name="format">Forces the media-type family; null writes the base's family.</param>
    public static ImageArtifact Build(BaseImage baseImage, IReadOnlyList<NewLayer> layers, ImageConfigEdits edits, ImageFormat? format = null)
    {
        ValidateBase(baseImage);
        ValidateLayers(layers);
        edits.Validate();
        var family = format ?? MediaTypes.FamilyOf(baseImage.ManifestMediaType);

        var config = ImageConfigEditor.Apply(baseImage.Config, baseImage.Platform, layers, edits);
        var configBlobs = new MemoryBlobSource();
        var configDescriptor = configBlobs.Add(MediaTypes.ConfigFor(family), OciJson.Serialize(config));

        var blobs = new List<BlobContent> { new(configDescriptor, configBlobs) };
        var layerDescriptors = new List<Descriptor>();
        foreach (var layer in baseImage.Manifest.Layers)
            AddLayer(layer, baseImage.LayerSource, family, layerDescriptors, blobs);
        foreach (var layer in layers)
            AddLayer(layer.Blob, layer.Source, family, layerDescriptors, blobs);

        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.ManifestFor(family),
            Config = configDescriptor,
            Layers = layerDescriptors,
            Annotations = ManifestAnnotations(edits),
        };
        var platform = baseImage.Platform ?? config.ToPlatform();
        return new ImageArtifact(manifest, OciJson.Serialize(manifest), platform, blobs);
    }

    private static void AddLayer(Descriptor layer, IBlobSource source, ImageFormat family, List<Descriptor> descriptors, List<BlobContent> blobs)
    {
        var converted = layer.Clone();
        converted.MediaType = LayerMediaTypes.ConvertTo(layer.MediaType, family);
        converted.Platform = null;
        descriptors.Add(converted);
        blobs.Add(new BlobContent(converted, source));
    }

    /// <summary>
    /// Only the edits' annotations: the base manifest's annotations describe the base (its version,
    /// source, creation time), and copying them would make the new image claim them.
    /// </summary>
    private static StringMap? ManifestAnnotations(ImageConfigEdits edits)
    {
        if (edits.Annotations.Count == 0) return null;
        return new StringMap(edits.Annotations);
    }

    private static void ValidateBase(BaseImage baseImage)
    {
        if (!MediaTypes.IsManifest(baseImage.ManifestMediaType))
        {
            throw new MabException(ErrorCode.BaseNotAManifest,
                $"The base has media type '{baseImage.ManifestMediaType}', which is not an image manifest. Resolve an index to the manifest of one platform before building on it.");
        }
        int layerCount = baseImage.Manifest.Layers.Count;
        int diffIdCount = baseImage.Config.RootFs.DiffIds.Count;
        if (layerCount != diffIdCount)
        {
            throw new MabException(ErrorCode.BaseLayerCountMismatch,
                $"The base manifest lists {layerCount} layers but its config has {diffIdCount} rootfs.diff_ids. The base image is inconsistent; pick another base image or rebuild it.");
        }
    }

    private static void ValidateLayers(IReadOnlyList<NewLayer> layers)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            bool ok = layer.DiffId.Algorithm is not null
                && layer.Blob.Digest.Algorithm is not null
                && !string.IsNullOrEmpty(layer.Blob.MediaType)
                && layer.Blob.Size >= 0;
            if (!ok)
            {
                throw new MabException(ErrorCode.InvalidNewLayer,
                    $"New layer {i} has no diff_id, digest or media type. Write layers with LayerWriter, which records all three.");
            }
        }
    }
}
