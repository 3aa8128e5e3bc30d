using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layers;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Publishing;

public class PublishLayerClassifierTests
{
    // Metadata as the SDK 10 reports it on ResolvedFileToPublish for a self-contained linux-x64 publish
    // with Newtonsoft.Json (runtime pack files carry the pack's id, AssetType runtime or native).
    private static readonly PublishedFile[] Files =
    [
        new("/p/App", "App"),
        new("/p/App.dll", "App.dll"),
        new("/p/App.deps.json", "App.deps.json"),
        new("/p/App.runtimeconfig.json", "App.runtimeconfig.json"),
        new("/p/appsettings.json", "appsettings.json"),
        new("/p/Newtonsoft.Json.dll", "Newtonsoft.Json.dll", "Newtonsoft.Json", "runtime"),
        new("/p/de/Pkg.resources.dll", "de/Pkg.resources.dll", "Pkg", "resources"),
        new("/p/libe_sqlite3.so", "libe_sqlite3.so", "SQLitePCLRaw.lib.e_sqlite3", "native"),
        new("/p/System.Private.CoreLib.dll", "System.Private.CoreLib.dll", "Microsoft.NETCore.App.Runtime.linux-x64", "runtime", IsRuntimePackAsset: true),
        new("/p/libcoreclr.so", "libcoreclr.so", "Microsoft.NETCore.App.Runtime.linux-x64", "native", IsRuntimePackAsset: true),
    ];

    [Fact]
    public void RuntimePackagesAndAppFilesGetTheirOwnCategories()
    {
        var platform = new PublishedPlatform(new PlatformTarget(RidPlatformTable.GetPlatform("linux-x64"), "linux-x64"), "base", "/p", Files);

        var categories = PublishLayerClassifier.Classify(platform, "/app");

        Assert.Equal(LayerCategory.App, categories["/app/App"]);
        Assert.Equal(LayerCategory.App, categories["/app/App.dll"]);
        Assert.Equal(LayerCategory.App, categories["/app/App.deps.json"]);
        Assert.Equal(LayerCategory.App, categories["/app/App.runtimeconfig.json"]);
        Assert.Equal(LayerCategory.App, categories["/app/appsettings.json"]);
        Assert.Equal(LayerCategory.Packages, categories["/app/Newtonsoft.Json.dll"]);
        Assert.Equal(LayerCategory.Packages, categories["/app/de/Pkg.resources.dll"]);
        Assert.Equal(LayerCategory.PlatformPackages, categories["/app/libe_sqlite3.so"]);
        Assert.Equal(LayerCategory.Runtime, categories["/app/System.Private.CoreLib.dll"]);
        Assert.Equal(LayerCategory.Runtime, categories["/app/libcoreclr.so"]);
    }

    [Fact]
    public void ClassifiesUnderTheWorkingDirectory()
    {
        var platform = new PublishedPlatform(new PlatformTarget(RidPlatformTable.GetPlatform("linux-x64"), "linux-x64"), "base", "/p",
            [new("/p/sub/X.dll", "sub\\X.dll", "X", "runtime")]);

        var categories = PublishLayerClassifier.Classify(platform, PublishLayerSource.ImageRootOf("/srv/my app/"));

        Assert.Equal(LayerCategory.Packages, Assert.Single(categories, c => c.Key == "/srv/my app/sub/X.dll").Value);
    }

    [Theory]
    [InlineData(null, LayerStrategy.Split)]
    [InlineData("", LayerStrategy.Split)]
    [InlineData("split", LayerStrategy.Split)]
    [InlineData(" Single ", LayerStrategy.Single)]
    public void ParsesTheLayerStrategy(string? value, LayerStrategy expected) =>
        Assert.Equal(expected, LayerStrategies.Parse(value));

    [Fact]
    public void AnUnknownLayerStrategyIsACodedError()
    {
        var error = Assert.Throws<MabException>(() => LayerStrategies.Parse("Layers"));
        Assert.Equal(ErrorCode.InvalidLayerStrategy, error.Code);
        Assert.Contains("Split", error.Message);
    }
}
