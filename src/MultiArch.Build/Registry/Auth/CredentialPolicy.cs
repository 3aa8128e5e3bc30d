using System.Net;

namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// Which token services may receive a registry's credentials (a password or an identity token). A 401 names the token
/// service (the realm), and a registry that is compromised or misconfigured could name any host; credentials go only
/// over HTTPS to the registry's own host, or to a host of the same site: one that shares the registry host's parent
/// domain (Docker Hub's registry-1.docker.io sends clients to auth.docker.io). An IP address or a host whose parent is
/// a bare top-level domain has no site beyond itself. A realm over plain HTTP gets them only when the registry itself
/// is plain HTTP on the same host, since then the credentials cross the same unencrypted link anyway.
/// </summary>
internal static class TokenRealmPolicy
{
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
