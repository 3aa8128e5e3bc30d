namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// How auth files name registries: a host, sometimes with a scheme and path. Docker Hub has four
/// names (docker.io, index.docker.io, registry-1.docker.io, https://index.docker.io/v1/); all map to one key.
/// </summary>
public static class RegistryKey
{
    public const string DockerHubServerUrl = "https://index.docker.io/v1/";

    public static string Normalize(string name)
    {
        string host = name.Trim();
        int scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        int slash = host.IndexOf('/');
        if (slash >= 0) host = host[..slash];
        host = host.ToLowerInvariant();
        return host is "docker.io" or "index.docker.io" or "registry-1.docker.io" ? ImageReference.DockerHub : host;
    }

    /// <summary>The server URL credential helpers are asked about: Docker Hub's legacy URL, else the host.</summary>
    public static string ServerUrl(string registry) =>
        Normalize(registry) == ImageReference.DockerHub ? DockerHubServerUrl : registry;
}
