using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Publishing;

/// <summary>How a publish output is cut into layers (ContainerLayerStrategy).</summary>
public enum LayerStrategy
{
    /// <summary>Runtime, packages, platform packages and app layers, so a code change re-sends only the app layer.</summary>
    Split,

    /// <summary>The whole publish output in one layer.</summary>
    Single,
}

public static class LayerStrategies
{
    /// <summary>Reads ContainerLayerStrategy; empty means <see cref="LayerStrategy.Split"/>.</summary>
    public static LayerStrategy Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SPLIT" => LayerStrategy.Split,
        "SINGLE" => LayerStrategy.Single,
        _ => throw new MabException(ErrorCode.InvalidLayerStrategy,
            $"ContainerLayerStrategy is '{value}'. Use Split (runtime, packages and app in their own layers; the default) or Single (the whole publish output in one layer)."),
    };
}
