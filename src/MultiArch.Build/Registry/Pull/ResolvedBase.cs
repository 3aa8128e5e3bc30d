using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry.Pull;

/// <summary>
/// A base image for one platform, as the registry holds it: the descriptor the base index lists
/// it under (variant and os.version untouched), its manifest and config (bytes verified against
/// their digests, and the models read from them), and where its layers can be read from.
/// </summary>
public sealed class ResolvedBase
{
    public ResolvedBase(ImageReference reference, ManifestResponse? index, Descriptor descriptor, byte[] manifestBytes, ImageManifest manifest, byte[] configBytes, ImageConfig config, RegistryBlobSource layers)
    {
        Reference = reference;
        Index = index;
        Descriptor = descriptor;
        ManifestBytes = manifestBytes;
        Manifest = manifest;
        ConfigBytes = configBytes;
        Config = config;
        Layers = layers;
    }

    /// <summary>The base as asked for, pinned to the digest of what the registry served at the top (index or manifest).</summary>
    public ImageReference Reference { get; }

    /// <summary>The base index, when the base is multi-platform; null for a single-platform base.</summary>
    public ManifestResponse? Index { get; }

    /// <summary>The platform image's descriptor: the index's entry as written, or for a single-platform base, one made from the manifest and its config.</summary>
    public Descriptor Descriptor { get; }

    public byte[] ManifestBytes { get; }
    public ImageManifest Manifest { get; }
    public byte[] ConfigBytes { get; }
    public ImageConfig Config { get; }

    /// <summary>Reads the base layers from the base repository (and lets a push to the same registry mount them).</summary>
    public RegistryBlobSource Layers { get; }
}
