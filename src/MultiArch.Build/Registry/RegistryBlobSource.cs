using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry;

/// <summary>
/// Blobs read from one registry repository (a base image's layers). A push to another repository
/// of the same registry mounts these blobs instead of copying them through the client.
/// </summary>
public sealed class RegistryBlobSource : IBlobSource
{
    private readonly RegistryClient _client;

    public RegistryBlobSource(RegistryClient client, ImageReference repository)
    {
        _client = client;
        Repository = repository;
    }

    /// <summary>The registry and repository the blobs live in (tag and digest are not used).</summary>
    public ImageReference Repository { get; }

    public Task<Stream> OpenReadAsync(Descriptor descriptor, CancellationToken cancellationToken) =>
        _client.OpenBlobAsync(Repository, descriptor, cancellationToken);
}
