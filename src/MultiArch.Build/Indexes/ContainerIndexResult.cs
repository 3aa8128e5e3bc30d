using MultiArch.Build.Oci;

namespace MultiArch.Build.Indexes;

/// <summary>What CreateContainerIndex made: the index, every entry it lists, and the references written.</summary>
public sealed record ContainerIndexResult(Descriptor Index, IReadOnlyList<Descriptor> Manifests, IReadOnlyList<string> References)
{
    public IEnumerable<string> Summary()
    {
        yield return $"Image index {Index.Digest} ({Index.MediaType}):";
        foreach (var entry in Manifests)
        {
            string what = Attestations.IsAttestation(entry) ? $"attestation of {Attestations.SubjectOf(entry)}" : entry.Platform?.ToString() ?? "";
            yield return $"  {what,-24} {entry.Digest}";
        }
        foreach (var reference in References) yield return $"  -> {reference}";
    }
}
