using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

public class SplitLayerPlannerTests
{
    private const UnixFileMode File = GoldenTree.Rw_r__r__;

    private static readonly Dictionary<string, LayerCategory> Categories = new()
    {
        ["/app/libcoreclr.so"] = LayerCategory.Runtime,
        ["/app/System.Private.CoreLib.dll"] = LayerCategory.Runtime,
        ["/app/Newtonsoft.Json.dll"] = LayerCategory.Packages,
        ["/app/de/Pkg.resources.dll"] = LayerCategory.Packages,
        ["/app/libsqlite.so"] = LayerCategory.PlatformPackages,
        ["/app/App.dll"] = LayerCategory.App,
    };

    private static LayerEntry F(string path) => LayerEntry.File(path, "/src" + path, File);

    [Fact]
    public void SplitsByCategoryLeastChangedFirst()
    {
        LayerEntry[] entries = [LayerEntry.Directory("/app"), F("/app/App"), F("/app/App.dll"), F("/app/Newtonsoft.Json.dll"),
            F("/app/System.Private.CoreLib.dll"), F("/app/libcoreclr.so"), F("/app/libsqlite.so")];

        var plan = new SplitLayerPlanner(Categories).Plan(entries);

        Assert.Equal(["runtime", "packages", "platform-packages", "app"], plan.Layers.Select(l => l.Name));
        Assert.Equal(["/app", "/app/System.Private.CoreLib.dll", "/app/libcoreclr.so"], plan.Layers[0].Entries.Select(e => e.ImagePath));
        Assert.Equal(["/app", "/app/Newtonsoft.Json.dll"], plan.Layers[1].Entries.Select(e => e.ImagePath));
        Assert.Equal(["/app", "/app/libsqlite.so"], plan.Layers[2].Entries.Select(e => e.ImagePath));
        // The apphost is not in the classification: unknown files belong to the app.
        Assert.Equal(["/app", "/app/App", "/app/App.dll"], plan.Layers[3].Entries.Select(e => e.ImagePath));
    }

    [Fact]
    public void SkipsEmptyLayers()
    {
        LayerEntry[] entries = [LayerEntry.Directory("/app"), F("/app/App.dll"), F("/app/Newtonsoft.Json.dll")];

        var plan = new SplitLayerPlanner(Categories).Plan(entries);

        Assert.Equal(["packages", "app"], plan.Layers.Select(l => l.Name));
    }

    [Fact]
    public void DirectoriesKeepTheirModeInEveryLayerBeneathThemAndEmptyOnesGoToTheApp()
    {
        var odd = (UnixFileMode)0b111_101_000; // 0750
        LayerEntry[] entries = [LayerEntry.Directory("/app"), LayerEntry.Directory("/app/de", odd), F("/app/de/Pkg.resources.dll"),
            LayerEntry.Directory("/app/de/empty"), F("/app/App.dll"), LayerEntry.Directory("/app/wwwroot")];

        var plan = new SplitLayerPlanner(Categories).Plan(entries);

        var packages = plan.Layers.Single(l => l.Name == "packages").Entries;
        Assert.Equal(["/app", "/app/de", "/app/de/Pkg.resources.dll"], packages.Select(e => e.ImagePath));
        Assert.Equal(odd, packages[1].Mode);
        var app = plan.Layers.Single(l => l.Name == "app").Entries;
        Assert.Equal(["/app", "/app/App.dll", "/app/de/empty", "/app/wwwroot"], app.Select(e => e.ImagePath));
    }

    [Fact]
    public void EveryEntryIsPlannedExactlyOnceApartFromSharedDirectories()
    {
        LayerEntry[] entries = [LayerEntry.Directory("/app"), F("/app/App.dll"), F("/app/libcoreclr.so"), LayerEntry.Symlink("/app/link", "App.dll")];

        var plan = new SplitLayerPlanner(Categories).Plan(entries);

        var nonDirectories = plan.Layers.SelectMany(l => l.Entries).Where(e => e.Kind != LayerEntryKind.Directory).Select(e => e.ImagePath).Order(StringComparer.Ordinal);
        Assert.Equal(["/app/App.dll", "/app/libcoreclr.so", "/app/link"], nonDirectories);
    }

    [Fact]
    public void ADirectoryListedTwiceIsACodedError()
    {
        var error = Assert.Throws<MultiArch.Build.Diagnostics.MabException>(() =>
            new SplitLayerPlanner(Categories).Plan([LayerEntry.Directory("/app"), LayerEntry.Directory("/app/")]));
        Assert.Equal(MultiArch.Build.Diagnostics.ErrorCode.LayerDuplicatePath, error.Code);
    }

    [Fact]
    public void NoEntriesMeansNoLayers() =>
        Assert.Empty(new SplitLayerPlanner(Categories).Plan([]).Layers);
}
