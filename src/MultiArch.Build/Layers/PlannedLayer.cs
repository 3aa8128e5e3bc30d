namespace MultiArch.Build.Layers;

/// <summary>One layer of a plan: a name that says what it holds, and its entries.</summary>
public sealed record PlannedLayer(string Name, IReadOnlyList<LayerEntry> Entries);
