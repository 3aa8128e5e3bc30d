namespace MultiArch.Build.Oci;

/// <summary>
/// OCI 1.1 referrers (image-spec manifest <c>subject</c>, distribution-spec referrers API): an artifact manifest that
/// points at the manifest it describes. Registries with the referrers API list them by subject; for the others the
/// distribution spec's fallback is an index under the tag <c>sha256-&lt;hex of the subject&gt;</c> that lists every
/// referrer, kept up to date by whoever pushes one.
/// </summary>
public static class Referrers
{
    /// <summary>The empty descriptor's media type: an artifact with no config of its own points its config here.</summary>
    public const string EmptyMediaType = "application/vnd.oci.empty.v1+json";

    /// <summary>The header a registry with the referrers API answers a manifest PUT with, naming the subject it indexed.</summary>
    public const string SubjectHeader = "OCI-Subject";

    /// <summary>The two bytes <c>{}</c> the empty descriptor names.</summary>
    public static byte[] EmptyContent() => "{}"u8.ToArray();

    /// <summary>The referrers tag schema's tag for a subject: its algorithm, a dash, its hex (truncated to a tag's 128 characters).</summary>
    public static string TagFor(Digest subject)
    {
        string tag = $"{subject.Algorithm}-{subject.Hex}";
        return tag.Length <= 128 ? tag : tag[..128];
    }

    /// <summary>
    /// The referrers index with <paramref name="referrer"/> listed: the existing one's entries kept as they are (someone else's
    /// signatures and SBOMs stay), the new one added once. Null when it is already listed, so nothing needs writing.
    /// </summary>
    public static ImageIndex? WithReferrer(ImageIndex? existing, Descriptor referrer)
    {
        var index = existing ?? new ImageIndex { MediaType = MediaTypes.OciIndex };
        if (index.Manifests.Any(m => m.Digest == referrer.Digest)) return null;
        index.MediaType ??= MediaTypes.OciIndex;
        index.Manifests.Add(referrer);
        return index;
    }

    /// <summary>How a referrer is listed: its manifest's descriptor with the manifest's artifactType and annotations, as the spec asks.</summary>
    public static Descriptor ListingOf(Descriptor manifest, ImageManifest model) => new()
    {
        MediaType = manifest.MediaType,
        Digest = manifest.Digest,
        Size = manifest.Size,
        ArtifactType = model.ArtifactType ?? model.Config.MediaType,
        Annotations = model.Annotations is null ? null : new StringMap(model.Annotations),
    };
}
