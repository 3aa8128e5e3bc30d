using System.Text.RegularExpressions;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry;

/// <summary>
/// A reference to an image in a registry, <c>[registry/]repository[:tag][@digest]</c>, parsed with
/// Docker's rules: no registry means Docker Hub (<c>docker.io</c>), where one-part names get the
/// <c>library/</c> prefix; the first part is a registry when it has a dot or a port, or is
/// <c>localhost</c> or a bracketed IPv6 address.
/// </summary>
public sealed partial record ImageReference
{
    public const string DockerHub = "docker.io";
    private const int MaxNameLength = 255;

    public ImageReference(string registry, string repository, string? tag = null, Digest? digest = null)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host as written, with port (<c>docker.io</c>, <c>localhost:5000</c>, <c>[::1]:5000</c>).</summary>
    public string Registry { get; init; }

    /// <summary>The repository path, lowercase (<c>library/alpine</c>).</summary>
    public string Repository { get; init; }

    public string? Tag { get; init; }

    public Digest? Digest { get; init; }

    /// <summary>What to ask the registry's manifest endpoint for: the digest when there is one, else the tag, else <c>latest</c>.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? "latest";

    /// <summary>Whether <paramref name="tag"/> is a valid tag: 1-128 of letters, digits, '_', '.', '-', not starting with '.' or '-'.</summary>
    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    /// <summary>Whether <paramref name="repository"/> is a valid repository path (lowercase components joined by '/').</summary>
    public static bool IsValidRepository(string repository) => CheckRepository(repository, out _);

    public ImageReference WithTag(string tag)
    {
        if (!TagPattern().IsMatch(tag))
            throw Invalid(tag, $"tag '{tag}' is not valid; a tag is 1-128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        return this with { Tag = tag, Digest = null };
    }

    public ImageReference WithDigest(Digest digest) => this with { Digest = digest };

    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    public static ImageReference Parse(string value) =>
        TryParse(value, out var reference, out var problem) ? reference : throw Invalid(value, problem);

    public static bool TryParse(string? value, out ImageReference reference) => TryParse(value, out reference, out _);

    private static bool TryParse(string? value, out ImageReference reference, out string problem)
    {
        reference = null!;
        if (string.IsNullOrWhiteSpace(value)) { problem = "it is empty"; return false; }
        if (value.Trim() != value) { problem = "it has leading or trailing white space"; return false; }

        string rest = value;
        Digest? digest = null;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            string digestText = rest[(at + 1)..];
            if (!Oci.Digest.TryParse(digestText, out var parsed)) { problem = $"'{digestText}' is not a digest (sha256:<64 lowercase hex digits>)"; return false; }
            digest = parsed;
            rest = rest[..at];
        }

        string? tag = null;
        int colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/') && colon > rest.LastIndexOf(']'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag)) { problem = $"tag '{tag}' is not valid; a tag is 1-128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'"; return false; }
        }

        if (!SplitRegistry(rest, out string registry, out string repository, out problem)) return false;
        if (!CheckRepository(repository, out problem)) return false;
        if (registry.Length + 1 + repository.Length > MaxNameLength) { problem = $"the name is longer than {MaxNameLength} characters"; return false; }

        reference = new ImageReference(registry, repository, tag, digest);
        problem = "";
        return true;
    }

    private static bool SplitRegistry(string name, out string registry, out string repository, out string problem)
    {
        problem = "";
        int slash = name.IndexOf('/');
        string first = slash < 0 ? name : name[..slash];
        bool isRegistry = slash >= 0 && (first.Contains('.') || first.Contains(':') || first == "localhost" || first.StartsWith('['));
        if (!isRegistry)
        {
            registry = DockerHub;
            repository = slash < 0 ? "library/" + name : name;
            return true;
        }
        registry = first;
        repository = name[(slash + 1)..];
        if (!DomainPattern().IsMatch(registry)) { problem = $"registry '{registry}' is not a host name, IPv4 address or [IPv6] address with an optional :port"; return false; }
        if (registry is "index.docker.io" or "registry-1.docker.io") registry = DockerHub;
        if (registry == DockerHub && !repository.Contains('/')) repository = "library/" + repository;
        return true;
    }

    private static bool CheckRepository(string repository, out string problem)
    {
        problem = "";
        if (repository.Length == 0) { problem = "the repository name is empty"; return false; }
        if (repository.Any(char.IsAsciiLetterUpper)) { problem = $"repository '{repository}' has uppercase letters; repository names must be lowercase"; return false; }
        foreach (string component in repository.Split('/'))
        {
            if (!PathComponentPattern().IsMatch(component))
            {
                problem = $"repository part '{component}' is not valid; each '/'-separated part is lowercase letters and digits, joined by single '.', one or two '_', or '-' runs";
                return false;
            }
        }
        return true;
    }

    private static MabException Invalid(string value, string problem) =>
        new(ErrorCode.InvalidImageReference, $"'{value}' is not a valid image reference: {problem}. Use [registry/]repository[:tag][@digest], for example 'mcr.microsoft.com/dotnet/runtime:8.0' or 'localhost:5000/app:1.0'.");

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\z")]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?\z")]
    private static partial Regex DomainPattern();
}
