namespace MultiArch.Build.Layers;

/// <summary>Decides how the entries of a published app are split into layers.</summary>
public interface ILayerPlanner
{
    LayerPlan Plan(IReadOnlyList<LayerEntry> entries);
}
