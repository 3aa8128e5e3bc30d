using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

public class SingleLayerPlannerTests
{
    [Fact]
    public void PutsEveryEntryInOneLayer()
    {
        LayerEntry[] entries = [LayerEntry.Directory("/app"), LayerEntry.File("/app/a.dll", "/src/a.dll", GoldenTree.Rw_r__r__), LayerEntry.Symlink("/app/b", "a.dll")];

        ILayerPlanner planner = new SingleLayerPlanner();
        var layer = Assert.Single(planner.Plan(entries).Layers);

        Assert.Equal(SingleLayerPlanner.LayerName, layer.Name);
        Assert.Equal(entries, layer.Entries);
    }

    [Fact]
    public void NoEntriesMeansNoLayers() =>
        Assert.Empty(new SingleLayerPlanner().Plan([]).Layers);
}
