using System.Text;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Transport;

namespace MultiArch.Build.Sbom;

/// <summary>What an SBOM describes besides the inventory: the image (repository, manifest and platform), its base, and the build's fixed time.</summary>
/// <param name="Repository">The repository the image is published to, which names the document.</param>
/// <param name="Manifest">The platform image's manifest descriptor, platform included.</param>
/// <param name="Base">Where the base came from; null when unknown (a layout base), and the document then names no base.</param>
/// <param name="Created">The image config's fixed <c>created</c> (SOURCE_DATE_EPOCH or the Unix epoch).</param>
public sealed record SbomSubject(string Repository, Descriptor Manifest, BaseImageOrigin? Base, DateTimeOffset Created);

/// <summary>
/// Makes the SPDX 2.3 document of one platform image. Reproducible: <c>created</c> is the image's fixed time, element IDs
/// come from package URLs, <c>documentNamespace</c> from the manifest digest and the package list, packages and
/// relationships are sorted, and <see cref="SbomJson"/> writes it.
/// </summary>
public static class SpdxBuilder
{
    public const string ImageId = "SPDXRef-Image";
    public const string ApplicationId = "SPDXRef-Application";
    public const string BaseImageId = "SPDXRef-BaseImage";

    /// <summary>The creator line: this tool and its version (without build metadata).</summary>
    public static string Creator { get; } = "Tool: MultiArch.Build-" + RegistryHttp.Version;

    public static SpdxDocument Build(SbomInventory inventory, SbomSubject subject)
    {
        var platform = subject.Manifest.Platform;
        var packages = new List<SpdxPackage>
        {
            new()
            {
                SpdxId = ImageId,
                Name = subject.Repository,
                VersionInfo = subject.Manifest.Digest.ToString(),
                PrimaryPackagePurpose = "CONTAINER",
                ExternalRefs = [new() { ReferenceLocator = Purl.Oci(subject.Repository, subject.Manifest.Digest, platform?.Architecture, null) }],
                Checksums = [new() { Algorithm = "SHA256", ChecksumValue = subject.Manifest.Digest.Hex }],
            },
            Component(inventory.Application, ApplicationId),
        };
        var relationships = new List<SpdxRelationship>
        {
            Relate("SPDXRef-DOCUMENT", "DESCRIBES", ImageId),
            Relate(ImageId, "CONTAINS", ApplicationId),
        };
        if (subject.Base is { } origin)
        {
            string repository = RepositoryOf(origin.Name);
            packages.Add(new()
            {
                SpdxId = BaseImageId,
                Name = origin.Name,
                VersionInfo = origin.ManifestDigest.ToString(),
                PrimaryPackagePurpose = "CONTAINER",
                ExternalRefs = [new() { ReferenceLocator = Purl.Oci(repository, origin.ManifestDigest, platform?.Architecture, repository) }],
                Checksums = [new() { Algorithm = "SHA256", ChecksumValue = origin.ManifestDigest.Hex }],
            });
            relationships.Add(Relate(ImageId, "DESCENDANT_OF", BaseImageId));
        }

        var ids = IdsFor(inventory.Components);
        foreach (var component in inventory.Components)
        {
            string id = ids[component];
            packages.Add(Component(component, id));
            relationships.Add(Relate(ImageId, "CONTAINS", id));
        }
        var byName = inventory.Components.ToDictionary(c => c.Name, c => ids[c], StringComparer.OrdinalIgnoreCase);
        foreach (var (from, component) in inventory.Components.Select(c => (ids[c], c)).Append((ApplicationId, inventory.Application)))
        {
            foreach (string dependency in component.DependsOn)
                if (byName.TryGetValue(dependency, out var to)) relationships.Add(Relate(from, "DEPENDS_ON", to));
        }

        packages.Sort((a, b) => string.CompareOrdinal(a.SpdxId, b.SpdxId));
        relationships = relationships.DistinctBy(r => (r.SpdxElementId, r.RelationshipType, r.RelatedSpdxElement))
            .OrderBy(r => r.SpdxElementId, StringComparer.Ordinal).ThenBy(r => r.RelationshipType, StringComparer.Ordinal)
            .ThenBy(r => r.RelatedSpdxElement, StringComparer.Ordinal).ToList();
        string name = platform is null ? subject.Repository : $"{subject.Repository} {Platforms.PlatformFormatter.Format(platform)}";
        return new SpdxDocument
        {
            Name = name,
            DocumentNamespace = NamespaceFor(subject, packages),
            CreationInfo = new() { Created = ImageConfigEditor.FormatTimestamp(subject.Created), Creators = [Creator] },
            Packages = packages,
            Relationships = relationships,
        };
    }

    private static SpdxPackage Component(SbomPackage component, string id) => new()
    {
        SpdxId = id,
        Name = component.Name,
        VersionInfo = component.Version.Length == 0 ? null : component.Version,
        PrimaryPackagePurpose = component.Kind switch
        {
            SbomPackageKind.Application => "APPLICATION",
            SbomPackageKind.RuntimePack => "FRAMEWORK",
            _ => "LIBRARY",
        },
        Supplier = "NOASSERTION",
        LicenseConcluded = "NOASSERTION",
        LicenseDeclared = "NOASSERTION",
        CopyrightText = "NOASSERTION",
        Checksums = component.Sha512 is { } hash ? [new() { Algorithm = "SHA512", ChecksumValue = hash }] : null,
        ExternalRefs = component.IsNuGet ? [new() { ReferenceLocator = Purl.NuGet(component.Name, component.Version) }] : null,
    };

    /// <summary>
    /// IDs from package URLs: <c>SPDXRef-Package-nuget-&lt;id&gt;-&lt;version&gt;</c> (projects: <c>SPDXRef-Project-…</c>), with
    /// every character SPDX IDs cannot hold made a dash; two components that would share an ID get a short hash of their URL.
    /// </summary>
    private static Dictionary<SbomPackage, string> IdsFor(IReadOnlyList<SbomPackage> components)
    {
        var plain = components.ToDictionary(c => c, c => (c.IsNuGet ? "SPDXRef-Package-nuget-" : "SPDXRef-Project-") + Sanitize($"{c.Name}-{c.Version}"),
            ReferenceEqualityComparer.Instance as IEqualityComparer<SbomPackage>);
        var clashing = plain.GroupBy(p => p.Value, StringComparer.Ordinal).Where(g => g.Count() > 1).SelectMany(g => g.Select(p => p.Key)).ToHashSet();
        foreach (var component in clashing)
            plain[component] += "-" + Hash(KeyOf(component))[..8];
        return plain;
    }

    private static string KeyOf(SbomPackage component) =>
        component.IsNuGet ? Purl.NuGet(component.Name, component.Version) : $"project:{component.Name}@{component.Version}";

    /// <summary>
    /// The namespace is unique per image and content, and the same for the same image: the manifest digest and a hash of
    /// every package's ID, URL and checksum.
    /// </summary>
    private static string NamespaceFor(SbomSubject subject, IEnumerable<SpdxPackage> packages)
    {
        var content = new StringBuilder(subject.Manifest.Digest.ToString()).Append('\n');
        foreach (var package in packages)
        {
            content.Append(package.SpdxId).Append(' ').Append(package.VersionInfo)
                .Append(' ').Append(package.ExternalRefs?.FirstOrDefault()?.ReferenceLocator)
                .Append(' ').Append(package.Checksums?.FirstOrDefault()?.ChecksumValue).Append('\n');
        }
        string slug = Sanitize(subject.Repository.Replace('/', '-')).ToLowerInvariant();
        return $"https://spdx.org/spdxdocs/multiarch-build/{slug}-{subject.Manifest.Digest.Hex[..16]}-{Hash(content.ToString())[..32]}";
    }

    private static string RepositoryOf(string reference) => (ImageReference.Parse(reference) with { Tag = null, Digest = null }).ToString();

    private static SpdxRelationship Relate(string from, string type, string to) => new() { SpdxElementId = from, RelationshipType = type, RelatedSpdxElement = to };

    private static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (char c in value) builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-');
        return builder.ToString();
    }

    private static string Hash(string value) => Digest.Compute(Encoding.UTF8.GetBytes(value)).Hex;
}
