using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Images;

/// <summary>
/// Makes an image index, one way for every caller: a publish composes from no entries plus the images it
/// built; a merge from the images read from its sources; an append from the entries of the index it extends
/// plus those. One policy throughout: one image per platform (compared as containerd compares them, so
/// <c>linux/arm64</c> is <c>linux/arm64/v8</c>), an added image replacing the existing one of its platform in
/// place, one media-type family, attestations after the images they describe, and annotations only where
/// the family's schema has them.
/// </summary>
public static class IndexComposer
{
    /// <param name="existing">The entries of the index being extended; empty for a new index.</param>
    /// <param name="added">The images to list: they replace existing entries of the same platform or digest.</param>
    /// <param name="own">The user's annotations, over everything else.</param>
    /// <param name="generated">Generated annotations (org.opencontainers.image.*); a Docker manifest list gets none, since its schema has no annotations.</param>
    /// <param name="existingAnnotations">The annotations of the index being extended, under the others.</param>
    public static IndexArtifact Compose(IReadOnlyList<IndexEntry> existing, IReadOnlyList<IndexEntry> added,
        IReadOnlyDictionary<string, string>? own = null, IReadOnlyDictionary<string, string>? generated = null, StringMap? existingAnnotations = null)
    {
        var images = Merge(existing.Where(e => !e.IsAttestation).ToList(), DistinctImages(added));
        var attestations = AttestationsFor(images, existing.Concat(added));
        var all = images.Concat(attestations).ToList();
        var family = FamilyOf(all);
        var index = new ImageIndex
        {
            MediaType = MediaTypes.IndexFor(family),
            Manifests = all.Select(e => e.Descriptor.Clone()).ToList(),
            Annotations = Annotate(existingAnnotations, family == ImageFormat.Oci ? generated : null, own),
        };
        var toWrite = all.Where(e => e.Image is not null).Select(e => e.Image!).DistinctBy(i => i.Descriptor.Digest).ToList();
        return new IndexArtifact(index, OciJson.Serialize(index), toWrite);
    }

    /// <summary>
    /// The same image listed twice is one entry; two different images for one platform (in any spelling) is an
    /// error, and so is an image with no platform.
    /// </summary>
    private static List<IndexEntry> DistinctImages(IReadOnlyList<IndexEntry> added)
    {
        var result = new List<IndexEntry>();
        foreach (var entry in added.Where(e => !e.IsAttestation))
        {
            var platform = RequirePlatform(entry);
            var same = result.FirstOrDefault(r => r.Digest == entry.Digest || PlatformNormalizer.AreSame(r.Platform, platform));
            if (same is null) { result.Add(entry); continue; }
            if (same.Digest != entry.Digest)
                throw new MabException(ErrorCode.DuplicateIndexPlatform,
                    $"Two images for platform {PlatformFormatter.Format(platform)}: {same.Digest} and {entry.Digest}. An index lists one image per platform: give each RuntimeIdentifier a distinct platform, or drop one source from ContainerIndexSources.");
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

    private static Platform RequirePlatform(IndexEntry entry) =>
        entry.Platform is { OS.Length: > 0, Architecture.Length: > 0 } platform
            ? platform
            : throw new MabException(ErrorCode.InvalidIndexChild,
                $"Image {entry.Digest} has no platform (os and architecture). Build it from a base with a platform, so the index can say what it runs on.");

    private static ImageFormat FamilyOf(List<IndexEntry> entries)
    {
        var families = entries.Select(e => MediaTypes.FamilyOf(e.Descriptor.MediaType)).Distinct().ToList();
        if (families.Count == 1) return families[0];
        if (families.Count == 0)
            throw new MabException(ErrorCode.InvalidIndexChild, "The new index would list no image. Build at least one platform, or list at least one image in ContainerIndexSources.");
        string list = string.Join(", ", entries.Select(e => $"{(e.Platform is { } p ? PlatformFormatter.Format(p) : "attestation")} {e.Descriptor.MediaType}"));
        throw new MabException(ErrorCode.MixedIndexFormats,
            $"The index would mix OCI and Docker manifests ({list}). Make every platform in one format (ContainerImageFormat=OCI or Docker on each build), then publish or merge again.");
    }

    /// <summary>What the index had, then the generated values, then the user's own: the later wins. Every key is checked.</summary>
    private static StringMap? Annotate(StringMap? existing, params IReadOnlyDictionary<string, string>?[] layers)
    {
        var result = existing is null ? new StringMap() : new StringMap(existing);
        foreach (var layer in layers)
        {
            foreach (var (key, value) in layer ?? new Dictionary<string, string>())
            {
                ImageConfigEditor.RequireKey(key, "index annotation");
                result[key] = value;
            }
        }
        return result.Count == 0 ? null : result;
    }
}
