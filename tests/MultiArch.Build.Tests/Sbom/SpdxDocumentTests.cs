using System.Text;
using System.Text.Json;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Sbom;
using NJsonSchema;

namespace MultiArch.Build.Tests.Sbom;

public class SpdxDocumentTests
{
    private static readonly Digest Manifest = Digest.Compute("manifest"u8);
    private static readonly Digest BaseManifest = Digest.Compute("base"u8);

    private static SbomSubject Subject(DateTimeOffset? created = null) => new("team/app",
        new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Manifest, Size = 1234, Platform = new Platform { OS = "linux", Architecture = "amd64" } },
        new BaseImageOrigin("mcr.microsoft.com/dotnet/aspnet:10.0", Digest.Compute("index"u8), BaseManifest),
        created ?? DateTimeOffset.UnixEpoch);

    private static byte[] Spdx(SbomFixture fixture, bool withDeps = true, DateTimeOffset? created = null) =>
        SbomJson.Serialize(SpdxBuilder.Build(SbomInventory.Of(fixture.Platform(withDeps), "App"), Subject(created)));

    [Fact]
    public void TheDocumentListsWhatTheDepsFileShipsWithNuGetsHashesAndPurls()
    {
        using var fixture = new SbomFixture();
        var document = SbomJson.Deserialize(Spdx(fixture));

        Assert.Equal("SPDX-2.3", document.SpdxVersion);
        Assert.Equal("CC0-1.0", document.DataLicense);
        Assert.Equal("1970-01-01T00:00:00Z", document.CreationInfo.Created);
        Assert.Equal([SpdxBuilder.Creator], document.CreationInfo.Creators);
        Assert.StartsWith("Tool: MultiArch.Build-", SpdxBuilder.Creator);
        var nuget = document.Packages.Where(p => p.ExternalRefs is not null && p.ExternalRefs[0].ReferenceLocator.StartsWith("pkg:nuget/", StringComparison.Ordinal)).ToList();
        // Analyzer is in the restore graph but not in the deps.json: it does not ship.
        Assert.Equal(["pkg:nuget/Microsoft.Extensions.Primitives@8.0.0", "pkg:nuget/Serilog.Sinks.Console@5.0.0", "pkg:nuget/Serilog@3.1.1"],
            nuget.Select(p => p.ExternalRefs![0].ReferenceLocator).Order(StringComparer.Ordinal));
        var serilog = nuget.Single(p => p.Name == "Serilog");
        Assert.Equal("3.1.1", serilog.VersionInfo);
        Assert.Equal("SHA512", serilog.Checksums![0].Algorithm);
        Assert.Equal(Convert.ToHexString(Convert.FromBase64String(SbomFixture.SerilogHash)).ToLowerInvariant(), serilog.Checksums[0].ChecksumValue);
        Assert.Equal("SPDXRef-Package-nuget-Serilog-3.1.1", serilog.SpdxId);

        var app = document.Packages.Single(p => p.SpdxId == SpdxBuilder.ApplicationId);
        Assert.Equal(("App", "1.2.3", "APPLICATION"), (app.Name, app.VersionInfo, app.PrimaryPackagePurpose));
        var image = document.Packages.Single(p => p.SpdxId == SpdxBuilder.ImageId);
        Assert.Equal($"pkg:oci/app@sha256%3A{Manifest.Hex}?arch=amd64", image.ExternalRefs![0].ReferenceLocator);
        var baseImage = document.Packages.Single(p => p.SpdxId == SpdxBuilder.BaseImageId);
        Assert.Equal($"pkg:oci/aspnet@sha256%3A{BaseManifest.Hex}?arch=amd64&repository_url=mcr.microsoft.com/dotnet/aspnet", baseImage.ExternalRefs![0].ReferenceLocator);
        Assert.Contains(document.Packages, p => p.Name == "Lib" && p.SpdxId == "SPDXRef-Project-Lib-2.0.0" && p.ExternalRefs is null);

        var relations = document.Relationships.Select(r => $"{r.SpdxElementId} {r.RelationshipType} {r.RelatedSpdxElement}").ToList();
        Assert.Contains("SPDXRef-DOCUMENT DESCRIBES SPDXRef-Image", relations);
        Assert.Contains("SPDXRef-Image DESCENDANT_OF SPDXRef-BaseImage", relations);
        Assert.Contains("SPDXRef-Image CONTAINS SPDXRef-Package-nuget-Serilog-3.1.1", relations);
        // The graph from the assets file: the app's own references, then each package's dependencies (edges to what ships only).
        Assert.Contains("SPDXRef-Application DEPENDS_ON SPDXRef-Package-nuget-Serilog-3.1.1", relations);
        Assert.Contains("SPDXRef-Application DEPENDS_ON SPDXRef-Project-Lib-2.0.0", relations);
        Assert.Contains("SPDXRef-Project-Lib-2.0.0 DEPENDS_ON SPDXRef-Package-nuget-Serilog-3.1.1", relations);
        Assert.Contains("SPDXRef-Package-nuget-Serilog-3.1.1 DEPENDS_ON SPDXRef-Package-nuget-Serilog.Sinks.Console-5.0.0", relations);
        Assert.Contains("SPDXRef-Package-nuget-Serilog.Sinks.Console-5.0.0 DEPENDS_ON SPDXRef-Package-nuget-Microsoft.Extensions.Primitives-8.0.0", relations);
        Assert.DoesNotContain(relations, r => r.Contains("Analyzer", StringComparison.Ordinal));
        // Sorted, so the bytes depend on the content only.
        Assert.Equal(document.Packages.Select(p => p.SpdxId).Order(StringComparer.Ordinal), document.Packages.Select(p => p.SpdxId));
        Assert.Equal(relations.Order(StringComparer.Ordinal), relations);
    }

    [Fact]
    public async Task TheDocumentIsValidAgainstTheOfficialSpdx23Schema()
    {
        using var fixture = new SbomFixture(selfContained: true);
        var schema = await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Sbom", "spdx-schema-2.3.json"));
        var errors = schema.Validate(Encoding.UTF8.GetString(Spdx(fixture)));
        Assert.Empty(errors.Select(e => e.ToString()));
        // And a document the schema must refuse is refused, so the check above checks something.
        var broken = JsonDocument.Parse(Spdx(fixture)).RootElement.EnumerateObject().Where(p => p.Name != "creationInfo").ToDictionary(p => p.Name, p => p.Value);
        Assert.NotEmpty(schema.Validate(JsonSerializer.Serialize(broken)));
    }

    [Fact]
    public void ASelfContainedAppListsItsRuntimePackWithTheHashRestoreLeftBesideIt()
    {
        using var fixture = new SbomFixture(selfContained: true);
        var document = SbomJson.Deserialize(Spdx(fixture));
        var pack = document.Packages.Single(p => p.Name == "Microsoft.NETCore.App.Runtime.linux-x64");
        Assert.Equal(("10.0.12", "FRAMEWORK"), (pack.VersionInfo, pack.PrimaryPackagePurpose));
        Assert.Equal("pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@10.0.12", pack.ExternalRefs![0].ReferenceLocator);
        Assert.Equal(Convert.ToHexString(Convert.FromBase64String(SbomFixture.SinkHash)).ToLowerInvariant(), pack.Checksums![0].ChecksumValue);
        Assert.Contains(document.Relationships, r => r.SpdxElementId == SpdxBuilder.ApplicationId && r.RelationshipType == "DEPENDS_ON" && r.RelatedSpdxElement == pack.SpdxId);
    }

    [Fact]
    public void TheSameInputsGiveTheSameBytesAndTheNamespaceFollowsTheContent()
    {
        using var fixture = new SbomFixture();
        byte[] first = Spdx(fixture);
        Assert.Equal(first, Spdx(fixture));
        var created = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        var later = SbomJson.Deserialize(Spdx(fixture, created: created));
        Assert.Equal("2023-11-14T22:13:20Z", later.CreationInfo.Created);
        // Keys sorted at every depth, compact.
        string text = Encoding.UTF8.GetString(first);
        Assert.StartsWith("{\"SPDXID\":\"SPDXRef-DOCUMENT\",\"creationInfo\":{\"created\":", text);
        Assert.DoesNotContain("\n", text);
        string ns = SbomJson.Deserialize(first).DocumentNamespace;
        Assert.StartsWith($"https://spdx.org/spdxdocs/multiarch-build/team-app-{Manifest.Hex[..16]}-", ns);
        using var selfContained = new SbomFixture(selfContained: true);
        Assert.NotEqual(ns, SbomJson.Deserialize(Spdx(selfContained)).DocumentNamespace);
    }

    [Fact]
    public void WithoutADepsFileThePackagesComeFromThePublishedFiles()
    {
        using var fixture = new SbomFixture();
        var fromDeps = SbomJson.Deserialize(Spdx(fixture));
        var fromFiles = SbomJson.Deserialize(Spdx(fixture, withDeps: false));
        Assert.Equal(fromDeps.Packages.Select(p => p.SpdxId), fromFiles.Packages.Select(p => p.SpdxId));
    }

    [Fact]
    public void AMissingOrBrokenAssetsFileIsACodedError()
    {
        using var fixture = new SbomFixture();
        var missing = Assert.Throws<MabException>(() => SbomInventory.Of(fixture.Platform() with { ProjectAssetsFile = fixture.AssetsFile + ".gone" }, "App"));
        Assert.Equal(ErrorCode.SbomInputUnreadable, missing.Code);
        File.WriteAllText(fixture.AssetsFile, "{ not json");
        var broken = Assert.Throws<MabException>(() => SbomInventory.Of(fixture.Platform(), "App"));
        Assert.Equal(ErrorCode.SbomInputUnreadable, broken.Code);
        Assert.Contains(fixture.AssetsFile, broken.Message);
        var none = Assert.Throws<MabException>(() => SbomInventory.Of(fixture.Platform() with { ProjectAssetsFile = null }, "App"));
        Assert.Equal(ErrorCode.SbomInputUnreadable, none.Code);
    }

    [Fact]
    public void AnAssetsFileWithNoGraphForTheRuntimeIdentifierIsACodedError()
    {
        using var fixture = new SbomFixture();
        File.WriteAllText(fixture.AssetsFile, File.ReadAllText(fixture.AssetsFile).Replace("net10.0/linux-x64", "net10.0/linux-arm64"));
        var error = Assert.Throws<MabException>(() => SbomInventory.Of(fixture.Platform(), "App"));
        Assert.Equal(ErrorCode.SbomInputUnreadable, error.Code);
        Assert.Contains("linux-x64", error.Message);
    }

    [Theory]
    [InlineData("Newtonsoft.Json", "13.0.3", "pkg:nuget/Newtonsoft.Json@13.0.3")]
    [InlineData("My.Pkg", "1.0.0-rc.1+build.5", "pkg:nuget/My.Pkg@1.0.0-rc.1%2Bbuild.5")]
    public void NuGetPurlsAreCanonical(string id, string version, string expected) => Assert.Equal(expected, Purl.NuGet(id, version));
}
