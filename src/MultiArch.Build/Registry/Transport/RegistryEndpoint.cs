using System.Net;

namespace MultiArch.Build.Registry.Transport;

/// <summary>
/// Where a registry's API lives. HTTPS with certificate checks unless the registry is on the
/// loopback interface or the user listed it as insecure; nothing else is ever downgraded to HTTP.
/// </summary>
public sealed class RegistryEndpoint
{
    private RegistryEndpoint(string registry, Uri baseUri)
    {
        Registry = registry;
        BaseUri = baseUri;
    }

    /// <summary>The registry as the reference names it (<c>docker.io</c>, <c>localhost:5000</c>).</summary>
    public string Registry { get; }

    /// <summary>The API root, e.g. <c>https://registry-1.docker.io/</c>.</summary>
    public Uri BaseUri { get; }

    public bool IsPlainHttp => BaseUri.Scheme == Uri.UriSchemeHttp;

    public static RegistryEndpoint For(string registry, RegistryOptions options)
    {
        string host = registry == ImageReference.DockerHub ? "registry-1.docker.io" : registry;
        string scheme = IsLoopback(registry) || IsListedInsecure(registry, options) ? "http" : "https";
        return new RegistryEndpoint(registry, new Uri($"{scheme}://{host}/"));
    }

    public Uri Api(string pathAndQuery) => new(BaseUri, pathAndQuery);

    /// <summary>True for localhost, 127.0.0.0/8 and ::1, with or without a port.</summary>
    public static bool IsLoopback(string registry)
    {
        string host = HostOf(registry);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    private static bool IsListedInsecure(string registry, RegistryOptions options)
    {
        var listed = options.InsecureRegistries.Concat(
            RegistryOptions.ParseRegistryList(options.Environment.Get(RegistryOptions.InsecureRegistriesVariable)));
        return listed.Any(entry => string.Equals(entry, registry, StringComparison.OrdinalIgnoreCase)
            || (!entry.Contains(':') || entry.StartsWith('[') && entry.EndsWith(']')) && string.Equals(entry, HostOf(registry), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The host without port; an IPv6 address loses its brackets.</summary>
    public static string HostOf(string registry)
    {
        if (registry.StartsWith('['))
        {
            int close = registry.IndexOf(']');
            return close < 0 ? registry : registry[1..close];
        }
        int colon = registry.LastIndexOf(':');
        return colon < 0 ? registry : registry[..colon];
    }
}
