using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Indexes;

/// <summary>
/// Makes the new index from the entries already in it (when appending) and the entries read from the
/// sources. An added image replaces the existing image of the same platform (in any spelling) in its
/// place; other existing images stay; new platforms follow. Attestations follow their subjects: they are listed
/// after the images, in the order of the images they describe, and dropped with them.
/// </summary>
public static class IndexComposer
{
    /// <param name="generated">Generated annotations, under <paramref name="annotations"/>; a Docker manifest list gets none (its schema has no annotations).</param>
    public static IndexArtifact Compose(IReadOnlyList<IndexEntry> existing, IReadOnlyList<IndexEntry> added, IReadOnlyDictionary<string, string>? annotations = null, StringMap? existingAnnotations = null, IReadOnlyDictionary<string, string>? generated = null)
    {
        var addedImages = DistinctImages(added);
        var images = Merge(existing.Where(e => !e.IsAttestation).ToList(), addedImages);
        var attestations = AttestationsFor(images, existing.Concat(added));
        var all = images.Concat(attestations).ToList();
        var family = FamilyOf(all);
        var index = new ImageIndex
        {
            MediaType = MediaTypes.IndexFor(family),
            Manifests = all.Select(e => e.Descriptor.Clone()).ToList(),
            Annotations = Annotate(existingAnnotations, family == ImageFormat.Oci ? generated : null, annotations),
        };
        var toCopy = all.Where(e => e.Image is not null).Select(e => e.Image!).DistinctBy(i => i.Descriptor.Digest).ToList();
        return new IndexArtifact(index, OciJson.Serialize(index), toCopy);
    }

    /// <summary>
    /// The same image listed twice is one entry; two different images for one platform (in any spelling:
    /// <c>linux/arm64</c> is <c>linux/arm64/v8</c>) is an error.
    /// </summary>
    private static List<IndexEntry> DistinctImages(IReadOnlyList<IndexEntry> added)
    {
        var result = new List<IndexEntry>();
        foreach (var entry in added.Where(e => !e.IsAttestation))
        {
            var same = result.FirstOrDefault(r => r.Digest == entry.Digest || PlatformNormalizer.AreSame(r.Platform, entry.Platform));
            if (same is null) { result.Add(entry); continue; }
            if (same.Digest != entry.Digest)
                throw new MabException(ErrorCode.IndexDuplicatePlatform,
                    $"Two sources give platform {entry.Platform}: {same.Digest} and {entry.Digest}. An index lists one image per platform; drop one of them from ContainerIndexSources.");
        }
        return result;
    }

    /// <summary>
    /// An added image takes the place of the first existing entry it replaces: one of the same platform
    /// after normalization (an index written from a base index says <c>linux/arm64/v8</c> where a config
    /// may say <c>linux/arm64</c>, and both are one platform to containerd), or the same image. Every
    /// further entry it replaces is dropped, so an index that already lists a platform twice comes out
    /// with one entry for it, and the one a runtime picks is the new image.
    /// </summary>
    private static List<IndexEntry> Merge(List<IndexEntry> existing, List<IndexEntry> added)
    {
        var placed = new HashSet<IndexEntry>(ReferenceEqualityComparer.Instance);
        var result = new List<IndexEntry>();
        foreach (var entry in existing)
        {
            var replacement = added.FirstOrDefault(a => a.Digest == entry.Digest || PlatformNormalizer.AreSame(a.Platform, entry.Platform));
            if (replacement is null) result.Add(entry);
            else if (placed.Add(replacement)) result.Add(replacement);
        }
        result.AddRange(added.Where(a => !placed.Contains(a)));
        return result;
    }

    private static List<IndexEntry> AttestationsFor(List<IndexEntry> images, IEnumerable<IndexEntry> candidates)
    {
        var attestations = candidates.Where(c => c.IsAttestation).DistinctBy(c => c.Digest).ToList();
        return images.SelectMany(image => attestations.Where(a => a.Subject == image.Digest)).ToList();
    }

    private static ImageFormat FamilyOf(List<IndexEntry> entries)
    {
        var families = entries.Select(e => MediaTypes.FamilyOf(e.Descriptor.MediaType)).Distinct().ToList();
        if (families.Count == 1) return families[0];
        if (families.Count == 0)
            throw new MabException(ErrorCode.IndexNoSources, "The new index would list no image. List at least one image in ContainerIndexSources.");
        string list = string.Join(", ", entries.Select(e => $"{e.Platform?.ToString() ?? "attestation"} {e.Descriptor.MediaType}"));
        throw new MabException(ErrorCode.IndexMixedFormats,
            $"The index would mix OCI and Docker manifests ({list}). Push every platform in one format (ContainerImageFormat=OCI or Docker on each build), then merge again.");
    }

    /// <summary>What the index had, then the generated values, then the user's own: the later wins.</summary>
    private static StringMap? Annotate(StringMap? existing, params IReadOnlyDictionary<string, string>?[] layers)
    {
        var result = existing is null ? new StringMap() : new StringMap(existing);
        foreach (var layer in layers)
            foreach (var (key, value) in layer ?? new Dictionary<string, string>()) result[key] = value;
        return result.Count == 0 ? null : result;
    }
}
