using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry;

/// <summary>
/// Images in one registry repository, named by a tag or digest. <paramref name="pin"/>, when given, is the digest
/// the build fixed the reference to (the base preflight's): documents are fetched by it, while
/// <see cref="Name"/> stays the reference as written, so annotations still name the tag the user chose.
/// </summary>
public sealed class RegistryImageSource(RegistryClient client, ImageReference reference, Digest? pin = null) : IImageSource
{
    private readonly ImageReference _fetched = pin is { } digest && reference.Digest is null ? reference.WithDigest(digest) : reference;

    /// <summary>The repository the images live in (no tag or digest).</summary>
    public ImageReference Repository { get; } = reference with { Tag = null, Digest = null };

    public ImageReference Reference => reference;

    public string Name => reference.ToString();

    // A reference written with both tag and digest is named by its tag, as when the build pins one.
    public string? AnnotationName => (reference.Tag is not null ? reference with { Digest = null } : reference).ToString();

    public IBlobSource Blobs => _blobs ??= new RegistryBlobSource(client, Repository);
    private RegistryBlobSource? _blobs;

    public Task<ImageDocument?> TryGetTopAsync(CancellationToken cancellationToken) => client.TryGetManifestAsync(_fetched, cancellationToken);

    public Task<ImageDocument?> TryGetDocumentAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        client.TryGetManifestAsync(Repository.WithDigest(descriptor.Digest), cancellationToken);

    public Task<byte[]> GetConfigAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        client.GetSmallBlobAsync(Repository, descriptor, cancellationToken);

    /// <summary>The registry's referrers API when it has one, else the referrers tag schema's index (<c>sha256-&lt;hex&gt;</c>).</summary>
    public async Task<IReadOnlyList<Descriptor>> GetReferrersAsync(Digest subject, CancellationToken cancellationToken)
    {
        if (await client.TryGetReferrersAsync(Repository, subject, cancellationToken).ConfigureAwait(false) is { } listed) return listed.Manifests;
        var tagged = await client.TryGetManifestAsync(Repository.WithTag(Referrers.TagFor(subject)), cancellationToken).ConfigureAwait(false);
        return tagged is { IsIndex: true } ? OciJson.DeserializeIndex(tagged.Bytes).Manifests : [];
    }

    public string DescribeWhereMissing() =>
        $"registry {reference.Registry} has no {_fetched.ManifestReference} in {reference.Repository}. Check the repository name and tag, and that the credentials in use may read it";
}
