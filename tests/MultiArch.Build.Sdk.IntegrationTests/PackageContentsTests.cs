using System.IO.Compression;
using System.Xml.Linq;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>The package ships exactly the golden file list, is a development dependency, and leaks no dependency.</summary>
[Collection(SdkCollection.Name)]
public sealed class PackageContentsTests(SdkFixture fixture)
{
    private string PackagePath => Path.Combine(fixture.PackageFeed, $"MultiArch.Build.{fixture.PackageVersion}.nupkg");

    [Fact]
    public void FileListMatchesTheGoldenList()
    {
        using var zip = ZipFile.OpenRead(PackagePath);
        var files = zip.Entries.Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml")
            .Order(StringComparer.Ordinal).ToList();
        var golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "package-files.golden.txt")).Where(l => l.Length > 0).ToList();
        Assert.Equal(golden, files);
    }

    [Fact]
    public void IsADevelopmentDependencyWithNoDependencies()
    {
        using var zip = ZipFile.OpenRead(PackagePath);
        using var stream = zip.GetEntry("MultiArch.Build.nuspec")!.Open();
        var nuspec = XDocument.Load(stream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("true", metadata.Element(ns + "developmentDependency")?.Value);
        Assert.Equal(fixture.PackageVersion, metadata.Element(ns + "version")?.Value);
        Assert.Empty(metadata.Descendants(ns + "dependency"));
    }
}
