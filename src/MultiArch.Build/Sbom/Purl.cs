using System.Text;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Sbom;

/// <summary>
/// Package URLs (the purl spec) for what an image SBOM names: <c>pkg:nuget/&lt;id&gt;@&lt;version&gt;</c> and
/// <c>pkg:oci/&lt;name&gt;@sha256%3A&lt;hex&gt;?arch=…&amp;repository_url=…</c>, in the spec's canonical form
/// (percent-encoded components, qualifiers sorted by key).
/// </summary>
public static class Purl
{
    public static string NuGet(string id, string version) => $"pkg:nuget/{Encode(id)}@{Encode(version)}";

    /// <param name="repository">The repository the image is in (<c>dotnet/aspnet</c>); its last segment is the purl's name.</param>
    /// <param name="repositoryUrl">Where it can be pulled from (<c>mcr.microsoft.com/dotnet/aspnet</c>); null leaves the qualifier out.</param>
    public static string Oci(string repository, Digest digest, string? architecture, string? repositoryUrl)
    {
        string name = repository.TrimEnd('/');
        name = name[(name.LastIndexOf('/') + 1)..].ToLowerInvariant();
        var qualifiers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(architecture)) qualifiers["arch"] = architecture;
        if (!string.IsNullOrEmpty(repositoryUrl)) qualifiers["repository_url"] = repositoryUrl;
        string query = qualifiers.Count == 0 ? "" : "?" + string.Join("&", qualifiers.Select(q => $"{q.Key}={Encode(q.Value, keepSlash: true)}"));
        return $"pkg:oci/{Encode(name)}@{Encode(digest.ToString())}{query}";
    }

    private static string Encode(string value, bool keepSlash = false)
    {
        var builder = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '~' || (keepSlash && c == '/')) builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
