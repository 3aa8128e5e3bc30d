namespace MultiArch.Build.Diagnostics;

public static partial class ErrorCode
{
    /// <summary>ContainerLayerStrategy names no known strategy (Split or Single).</summary>
    public const string InvalidLayerStrategy = "MAB1250";
}
