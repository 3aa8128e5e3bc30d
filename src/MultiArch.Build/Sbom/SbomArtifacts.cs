using System.Text.Json.Nodes;
using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Sbom;

/// <summary>
/// The two ways an SBOM travels with an image. A referrer (OCI 1.1): an artifact manifest of type
/// <c>application/spdx+json</c> with the empty config, one layer holding the SPDX JSON, and <c>subject</c> the platform
/// manifest, so the image and its index keep their digests. An attestation (BuildKit's format): a manifest listed in the
/// index under platform <c>unknown/unknown</c>, pointing at its image through <see cref="Attestations"/>' annotations,
/// whose one layer is an in-toto Statement v1 with the SPDX document as predicate.
/// </summary>
public static class SbomArtifacts
{
    public const string SpdxMediaType = "application/spdx+json";
    public const string InTotoMediaType = "application/vnd.in-toto+json";
    public const string InTotoStatementType = "https://in-toto.io/Statement/v1";
    public const string SpdxPredicateType = "https://spdx.dev/Document";
    public const string PredicateTypeAnnotation = "in-toto.io/predicate-type";

    /// <summary>The file name tools such as oras give the SBOM layer when they pull it.</summary>
    public const string FileName = "sbom.spdx.json";

    /// <summary>The referrer manifest of <paramref name="spdx"/> for <paramref name="subject"/>, with its two blobs.</summary>
    public static ImageArtifact Referrer(byte[] spdx, Descriptor subject, DateTimeOffset created)
    {
        var blobs = new MemoryBlobSource();
        var config = blobs.Add(Referrers.EmptyMediaType, Referrers.EmptyContent());
        var layer = blobs.Add(SpdxMediaType, spdx);
        layer.Annotations = new StringMap { [OciAnnotations.Title] = FileName };
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = SpdxMediaType,
            Config = config,
            Layers = [layer],
            Subject = new Descriptor { MediaType = subject.MediaType, Digest = subject.Digest, Size = subject.Size },
            // The spec's suggested key for ordering referrers; the build's fixed time, so the bytes stay the same.
            Annotations = new StringMap { [OciAnnotations.Created] = ImageConfigEditor.FormatTimestamp(created) },
        };
        return new ImageArtifact(manifest, OciJson.Serialize(manifest), null, [new(config, blobs), new(layer, blobs)]);
    }

    /// <summary>
    /// The attestation manifest of <paramref name="spdx"/> for the image <paramref name="subject"/>, and the entry an index lists
    /// it under: platform unknown/unknown, <c>vnd.docker.reference.type=attestation-manifest</c> and
    /// <c>vnd.docker.reference.digest=&lt;the image&gt;</c>.
    /// </summary>
    public static IndexEntry Attestation(byte[] spdx, Descriptor subject, string subjectName)
    {
        var statement = new JsonObject
        {
            ["_type"] = InTotoStatementType,
            ["subject"] = new JsonArray(new JsonObject
            {
                ["name"] = subjectName,
                ["digest"] = new JsonObject { [subject.Digest.Algorithm] = subject.Digest.Hex },
            }),
            ["predicateType"] = SpdxPredicateType,
            ["predicate"] = JsonNode.Parse(spdx),
        };
        var blobs = new MemoryBlobSource();
        var layer = blobs.Add(InTotoMediaType, SbomJson.Canonical(statement));
        layer.Annotations = new StringMap { [PredicateTypeAnnotation] = SpdxPredicateType };
        // As BuildKit writes it: an image config of platform unknown/unknown whose rootfs lists the statement.
        var configModel = new ImageConfig { Architecture = "unknown", OS = "unknown", RootFs = new RootFs { Type = "layers", DiffIds = [layer.Digest] } };
        var config = blobs.Add(MediaTypes.OciConfig, OciJson.Serialize(configModel));
        var manifest = new ImageManifest { MediaType = MediaTypes.OciManifest, Config = config, Layers = [layer] };
        var platform = new Platform { Architecture = "unknown", OS = "unknown" };
        var artifact = new ImageArtifact(manifest, OciJson.Serialize(manifest), platform, [new(config, blobs), new(layer, blobs)]);
        var listed = artifact.Descriptor.Clone();
        listed.Annotations = new StringMap
        {
            [Attestations.ReferenceDigest] = subject.Digest.ToString(),
            [Attestations.ReferenceType] = Attestations.AttestationManifest,
        };
        return new IndexEntry(listed, artifact);
    }
}
