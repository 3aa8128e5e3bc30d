namespace MultiArch.Build.Layers;

/// <summary>Puts every entry in one layer. The simplest plan, and the right one for small apps.</summary>
public sealed class SingleLayerPlanner : ILayerPlanner
{
    public const string LayerName = "app";

    public LayerPlan Plan(IReadOnlyList<LayerEntry> entries) =>
        entries.Count == 0 ? new LayerPlan([]) : new LayerPlan([new PlannedLayer(LayerName, entries)]);
}
