using System.Net;

namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// Where a registry's credentials may go: the one place that decides it.
/// <para>
/// Requests to the registry's API carry its Authorization header only when they go to the registry itself, the same
/// host and port: an upload location or a redirect may point at storage or another service, which gets nothing.
/// </para>
/// <para>
/// A 401 names the token service (the realm), and a registry that is compromised or misconfigured could name any host;
/// credentials (a password or an identity token) go only over HTTPS to the registry's own host, or to a host of the
/// same site: one that shares the registry host's parent domain (Docker Hub's registry-1.docker.io sends clients to
/// auth.docker.io). An IP address or a host whose parent is a bare top-level domain has no site beyond itself. A realm
/// over plain HTTP gets them only when the registry itself is plain HTTP on the same host, since then the credentials
/// cross the same unencrypted link anyway.
/// </para>
/// </summary>
internal static class CredentialPolicy
{
    /// <summary>True when <paramref name="target"/> is the registry whose API root is <paramref name="registry"/>: same host, same port.</summary>
    public static bool IsRegistryItself(Uri target, Uri registry) =>
        string.Equals(target.IdnHost, registry.IdnHost, StringComparison.OrdinalIgnoreCase) && target.Port == registry.Port;

    /// <summary>True when the token service at <paramref name="realm"/> may receive the credentials of the registry at <paramref name="registry"/>.</summary>
    public static bool MayReceiveCredentials(Uri realm, Uri registry)
    {
        bool sameHost = string.Equals(realm.IdnHost, registry.IdnHost, StringComparison.OrdinalIgnoreCase);
        if (realm.Scheme == Uri.UriSchemeHttps) return sameHost || SameSite(realm.IdnHost, registry.IdnHost);
        return realm.Scheme == Uri.UriSchemeHttp && registry.Scheme == Uri.UriSchemeHttp && sameHost;
    }

    private static bool SameSite(string realmHost, string registryHost)
    {
        if (IPAddress.TryParse(registryHost.Trim('[', ']'), out _)) return false;
        int dot = registryHost.IndexOf('.');
        string parent = dot < 0 ? "" : registryHost[(dot + 1)..];
        if (!parent.Contains('.')) return false;
        return string.Equals(realmHost, parent, StringComparison.OrdinalIgnoreCase)
            || realmHost.EndsWith("." + parent, StringComparison.OrdinalIgnoreCase);
    }
}
