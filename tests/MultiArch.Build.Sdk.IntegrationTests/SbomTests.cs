using System.Text.Json;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// ContainerGenerateSbom end to end against a real docker-registry (distribution 2.8, which has no referrers API): a
/// two-platform web app with NuGet dependencies gets one SPDX referrer per platform image, found through the referrers
/// tag schema with skopeo and read back over plain HTTP; the index digest is the one a publish without an SBOM gives, and
/// publishing again uploads nothing;
/// the index storage writes BuildKit's attestation entries, byte for byte the same SBOM, and skopeo and containerd still
/// pull the right platform.
/// </summary>
[Collection(SdkCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SbomTests(SdkFixture fixture)
{
    private const string Body = """
        <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Version>2.1.0</Version></PropertyGroup>
        <ItemGroup>
          <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />
          <PackageReference Include="Serilog" Version="3.1.1" />
        </ItemGroup>
        """;

    private const string Program = """
        var app = WebApplication.CreateSlimBuilder(args).Build();
        Serilog.Log.Logger = new Serilog.LoggerConfiguration().CreateLogger();
        app.MapGet("/", () => Newtonsoft.Json.JsonConvert.SerializeObject(new { ok = true }));
        app.Run();
        """;

    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64/v8"];

    [Fact]
    public async Task EachPlatformImageGetsItsSpdxReferrerAndTheIndexStaysTheSame()
    {
        using var app = new AppProject(fixture, "SbomWeb", Body, Program, "Microsoft.NET.Sdk.Web");
        string repository = $"{fixture.Registry}/e2e/sbom";
        string[] common = ["ContainerPlatforms=\"linux-x64 linux-arm64\"", $"ContainerRegistry={fixture.Registry}", $"ContainerBaseRegistry={fixture.Registry}",
            "UseAppHost=false", "ContainerImageTags=1.0"];

        // 1. With an SBOM, stored as referrers (the default).
        var withSbom = Publish(app, [.. common, "ContainerRepository=e2e/sbom", "ContainerGenerateSbom=true"], "sbom.json");
        string indexDigest = withSbom.GetProperty("indexDigest").GetString()!;
        var index = Skopeo.InspectRaw(repository + ":1.0");
        Assert.Equal(Platforms, index.GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf));
        var sboms = new Dictionary<string, byte[]>();
        var referrerTags = new Dictionary<string, string>();
        foreach (string platform in Platforms)
        {
            string image = Skopeo.DigestFor(repository + ":1.0", platform);
            // The referrers tag schema, read by skopeo: an OCI index under sha256-<hex> listing one SPDX artifact.
            byte[] referrersBytes = Skopeo.InspectRawBytes($"{repository}:sha256-{image["sha256:".Length..]}");
            referrerTags[platform] = Skopeo.DigestOf(referrersBytes);
            var referrers = JsonDocument.Parse(referrersBytes).RootElement;
            Assert.Equal("application/vnd.oci.image.index.v1+json", referrers.GetProperty("mediaType").GetString());
            var listed = Assert.Single(referrers.GetProperty("manifests").EnumerateArray());
            Assert.Equal("application/spdx+json", listed.GetProperty("artifactType").GetString());
            string referrerDigest = listed.GetProperty("digest").GetString()!;
            var referrer = Skopeo.InspectRaw($"{repository}@{referrerDigest}");
            Assert.Equal(image, referrer.GetProperty("subject").GetProperty("digest").GetString());
            Assert.Equal("application/vnd.oci.empty.v1+json", referrer.GetProperty("config").GetProperty("mediaType").GetString());
            var layer = Assert.Single(referrer.GetProperty("layers").EnumerateArray());
            Assert.Equal("application/spdx+json", layer.GetProperty("mediaType").GetString());
            byte[] spdx = await BlobAsync("e2e/sbom", layer.GetProperty("digest").GetString()!);
            Assert.Equal(layer.GetProperty("digest").GetString(), Skopeo.DigestOf(spdx));
            string rid = platform == "linux/amd64" ? "linux-x64" : "linux-arm64";
            AssertListsExactlyTheDepsFile(spdx, app, rid, image);
            sboms[platform] = spdx;
            // ContainerMetadataFile names the same referrer and document, for a CI step that signs or scans it.
            var written = MetadataSbomOf(withSbom, platform, image);
            Assert.Equal("referrers", written.GetProperty("storage").GetString());
            Assert.Equal(referrerDigest, written.GetProperty("digest").GetString());
            Assert.Equal(layer.GetProperty("digest").GetString(), written.GetProperty("documentDigest").GetString());
        }

        // 2. The same commit without an SBOM: the same index digest, nothing uploaded, and the referrers stay where they were.
        var without = Publish(app, [.. common, "ContainerRepository=e2e/sbom"], "plain.json");
        Assert.Equal(indexDigest, without.GetProperty("indexDigest").GetString());
        Assert.Equal(0, without.GetProperty("bytesUploaded").GetInt64());
        Assert.All(without.GetProperty("manifests").EnumerateArray(), m => Assert.False(m.TryGetProperty("sbom", out _)));
        Assert.Contains("sha256-" + Skopeo.DigestFor(repository + ":1.0", "linux/amd64")["sha256:".Length..], Skopeo.Tags(repository)!);

        // 3. With the SBOM again: nothing uploaded, the same index, the same SBOM digests, the referrers tags untouched.
        var again = Publish(app, [.. common, "ContainerRepository=e2e/sbom", "ContainerGenerateSbom=true"], "again.json");
        Assert.Equal(indexDigest, again.GetProperty("indexDigest").GetString());
        Assert.Equal(0, again.GetProperty("bytesUploaded").GetInt64());
        foreach (string platform in Platforms)
            Assert.Equal(referrerTags[platform], Skopeo.DigestOf(Skopeo.InspectRawBytes($"{repository}:sha256-{Skopeo.DigestFor(repository + ":1.0", platform)["sha256:".Length..]}")));

        // 4. The index storage (BuildKit's attestations) under another tag: the same images, an attestation per image after
        // them, and the SBOM inside is byte for byte the one the first publish made.
        string attested = $"{repository}:attested";
        var indexed = Publish(app, [.. common, "ContainerRepository=e2e/sbom", "ContainerImageTags=attested", "ContainerGenerateSbom=true", "ContainerSbomStorage=index"], "index.json");
        var entries = Skopeo.InspectRaw(attested).GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal([.. Platforms, "unknown/unknown", "unknown/unknown"], entries.Select(Skopeo.PlatformOf));
        for (int i = 0; i < 2; i++)
        {
            string image = entries[i].GetProperty("digest").GetString()!;
            Assert.Equal(Skopeo.DigestFor(repository + ":1.0", Platforms[i]), image);
            var annotations = entries[2 + i].GetProperty("annotations");
            Assert.Equal("attestation-manifest", annotations.GetProperty("vnd.docker.reference.type").GetString());
            Assert.Equal(image, annotations.GetProperty("vnd.docker.reference.digest").GetString());
            var attestation = Skopeo.InspectRaw($"{repository}@{entries[2 + i].GetProperty("digest").GetString()}");
            var layer = Assert.Single(attestation.GetProperty("layers").EnumerateArray());
            Assert.Equal("application/vnd.in-toto+json", layer.GetProperty("mediaType").GetString());
            using var statement = JsonDocument.Parse(await BlobAsync("e2e/sbom", layer.GetProperty("digest").GetString()!));
            Assert.Equal("https://in-toto.io/Statement/v1", statement.RootElement.GetProperty("_type").GetString());
            Assert.Equal("https://spdx.dev/Document", statement.RootElement.GetProperty("predicateType").GetString());
            Assert.Equal(image["sha256:".Length..], statement.RootElement.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString());
            Assert.Equal(System.Text.Encoding.UTF8.GetString(sboms[Platforms[i]]), statement.RootElement.GetProperty("predicate").GetRawText());
            var written = MetadataSbomOf(indexed, Platforms[i], image);
            Assert.Equal("index", written.GetProperty("storage").GetString());
            Assert.Equal(entries[2 + i].GetProperty("digest").GetString(), written.GetProperty("digest").GetString());
            Assert.Equal(Skopeo.DigestOf(sboms[Platforms[i]]), written.GetProperty("documentDigest").GetString());
        }
        // Runtimes skip the unknown/unknown entries: skopeo and containerd pull the arm64 image.
        string layout = Path.Combine(app.Root, "pulled");
        ProcessRunner.RunChecked("skopeo", "copy", "--src-tls-verify=false", "--override-arch", "arm64", "--override-variant", "v8", $"docker://{attested}", $"oci:{layout}:arm64");
        Assert.Equal(entries[1].GetProperty("digest").GetString(), Skopeo.DigestOf(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256",
            JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json"))).RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!["sha256:".Length..]))));
        using var containerd = ContainerdDaemon.Start();
        containerd.Pull(attested, "linux/arm64");
        Assert.Equal([entries[1].GetProperty("digest").GetString()!], containerd.UnpackedManifests());
    }

    /// <summary>The SBOM names exactly the packages of that platform's deps.json, each with its purl and SHA-512, and the app itself.</summary>
    private static void AssertListsExactlyTheDepsFile(byte[] spdx, AppProject app, string rid, string image)
    {
        using var document = JsonDocument.Parse(spdx);
        var root = document.RootElement;
        Assert.Equal("SPDX-2.3", root.GetProperty("spdxVersion").GetString());
        Assert.Equal("CC0-1.0", root.GetProperty("dataLicense").GetString());
        Assert.Equal("SPDXRef-DOCUMENT", root.GetProperty("SPDXID").GetString());
        Assert.StartsWith("https://", root.GetProperty("documentNamespace").GetString());
        Assert.Equal("1970-01-01T00:00:00Z", root.GetProperty("creationInfo").GetProperty("created").GetString());
        Assert.StartsWith("Tool: MultiArch.Build-", root.GetProperty("creationInfo").GetProperty("creators")[0].GetString());
        var packages = root.GetProperty("packages").EnumerateArray().ToList();
        Assert.All(packages, p => Assert.Equal("NOASSERTION", p.GetProperty("downloadLocation").GetString()));
        var nuget = packages.Where(p => p.TryGetProperty("externalRefs", out var refs) && refs[0].GetProperty("referenceLocator").GetString()!.StartsWith("pkg:nuget/", StringComparison.Ordinal)).ToList();

        using var deps = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(app.Directory, "bin", "Release", "net10.0", "multiarch", rid, "publish", "SbomWeb.deps.json")));
        var expected = deps.RootElement.GetProperty("libraries").EnumerateObject().Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => "pkg:nuget/" + l.Name.Replace('/', '@')).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("pkg:nuget/Newtonsoft.Json@13.0.3", expected);
        Assert.Contains("pkg:nuget/Serilog@3.1.1", expected);
        Assert.Equal(expected, nuget.Select(p => p.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString()!).Order(StringComparer.Ordinal));
        foreach (var package in nuget)
        {
            var checksum = package.GetProperty("checksums")[0];
            Assert.Equal("SHA512", checksum.GetProperty("algorithm").GetString());
            Assert.Matches("^[0-9a-f]{128}$", checksum.GetProperty("checksumValue").GetString());
        }
        var app_ = packages.Single(p => p.GetProperty("SPDXID").GetString() == "SPDXRef-Application");
        Assert.Equal(("SbomWeb", "2.1.0"), (app_.GetProperty("name").GetString(), app_.GetProperty("versionInfo").GetString()));
        var imagePackage = packages.Single(p => p.GetProperty("SPDXID").GetString() == "SPDXRef-Image");
        Assert.Equal(image, imagePackage.GetProperty("versionInfo").GetString());
        var baseImage = packages.Single(p => p.GetProperty("SPDXID").GetString() == "SPDXRef-BaseImage");
        Assert.StartsWith("pkg:oci/aspnet@sha256%3A", baseImage.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString());
        var relationships = root.GetProperty("relationships").EnumerateArray()
            .Select(r => $"{r.GetProperty("spdxElementId").GetString()} {r.GetProperty("relationshipType").GetString()} {r.GetProperty("relatedSpdxElement").GetString()}").ToList();
        Assert.Contains("SPDXRef-DOCUMENT DESCRIBES SPDXRef-Image", relationships);
        Assert.Contains("SPDXRef-Application DEPENDS_ON SPDXRef-Package-nuget-Newtonsoft.Json-13.0.3", relationships);
    }

    /// <summary>The <c>sbom</c> object ContainerMetadataFile gives the manifest of <paramref name="platform"/>, which must be <paramref name="image"/>.</summary>
    private static JsonElement MetadataSbomOf(JsonElement metadata, string platform, string image)
    {
        var manifest = metadata.GetProperty("manifests").EnumerateArray().Single(m => m.GetProperty("platform").GetString() == platform);
        Assert.Equal(image, manifest.GetProperty("digest").GetString());
        return manifest.GetProperty("sbom");
    }

    private JsonElement Publish(AppProject app, string[] properties, string metadataName)
    {
        string metadata = Path.Combine(app.Root, metadataName);
        var result = app.Publish([.. properties, $"ContainerMetadataFile={metadata}"]);
        Assert.True(result.ExitCode == 0, result.All);
        return JsonDocument.Parse(File.ReadAllBytes(metadata)).RootElement.Clone();
    }

    /// <summary>A blob straight from the registry's HTTP API, independent of the product's client.</summary>
    private async Task<byte[]> BlobAsync(string repository, string digest)
    {
        using var http = new HttpClient();
        return await http.GetByteArrayAsync($"http://{fixture.Registry}/v2/{repository}/blobs/{digest}");
    }
}
