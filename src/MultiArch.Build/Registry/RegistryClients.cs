using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry.Auth;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Registry;

/// <summary>
/// The one place a build gets its registry clients: a pull client (base images and sources, with the base
/// images' credentials) and a push client (the target registry, with its credentials), sharing one connection
/// pool, one set of resolved endpoints and one credential store. Every host (the publish, the index tools, the
/// preflight and inspect tasks) makes its clients here.
/// </summary>
public sealed class RegistryClients : IDisposable
{
    private readonly RegistryConnection _connection;

    public RegistryClients(RegistryOptions options)
    {
        _connection = new RegistryConnection(options);
        // The base image preflight and the publish are separate tasks, each with its own clients: one cache per
        // process lets the second confirm with a HEAD what the first fetched.
        Pull = new RegistryClient(options, CredentialPurpose.Pull, ManifestCache.Shared, _connection);
        Push = new RegistryClient(options, CredentialPurpose.Push, ManifestCache.Shared, _connection);
    }

    /// <summary>The clients of one build: see <see cref="RegistryOptions.ForBuild"/>.</summary>
    public static RegistryClients ForBuild(string? insecureRegistries, IBuildLog log, string? targetRegistry) =>
        new(RegistryOptions.ForBuild(insecureRegistries, log, targetRegistry));

    /// <summary>Reads base images and index sources, with the base images' credentials.</summary>
    public RegistryClient Pull { get; }

    /// <summary>Writes to the target registry, with its credentials.</summary>
    public RegistryClient Push { get; }

    public void Dispose()
    {
        Pull.Dispose();
        Push.Dispose();
        _connection.Dispose();
    }
}
