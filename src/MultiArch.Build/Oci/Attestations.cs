
namespace MultiArch.Build.Oci;

/// <summary>
/// How BuildKit lists attestations (provenance, SBOM) in an index: an entry with platform
/// unknown/unknown, annotated <c>vnd.docker.reference.type=attestation-manifest</c> and
/// <c>vnd.docker.reference.digest=&lt;the image it describes&gt;</c>. Such an entry belongs to its subject,
/// so it moves, stays or goes with it.
/// </summary>
public static class Attestations
{
    public const string ReferenceType = "vnd.docker.reference.type";
    public const string ReferenceDigest = "vnd.docker.reference.digest";
    public const string AttestationManifest = "attestation-manifest";

    public static bool IsAttestation(Descriptor descriptor) =>
        descriptor.Annotations is { } annotations
        && annotations.TryGetValue(ReferenceType, out var type)
        && type == AttestationManifest;

    /// <summary>The digest of the image an attestation describes, or null when it names none.</summary>
    public static Digest? SubjectOf(Descriptor descriptor) =>
        descriptor.Annotations is { } annotations
        && annotations.TryGetValue(ReferenceDigest, out var text)
        && Digest.TryParse(text, out var digest)
            ? digest
            : null;
}
