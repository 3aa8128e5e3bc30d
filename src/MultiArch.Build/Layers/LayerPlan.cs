namespace MultiArch.Build.Layers;

/// <summary>
/// Which entries go in which layer, bottom layer first. Layers that change less often come first
/// so that a rebuild re-sends only the layers above the first change.
/// </summary>
public sealed record LayerPlan(IReadOnlyList<PlannedLayer> Layers);
