namespace MultiArch.Build.Diagnostics;

public static partial class ErrorCode
{
    /// <summary>A platform string is not <c>os[(version[+feature...])]/arch[/variant]</c>.</summary>
    public const string InvalidPlatform = "MAB1101";
    /// <summary>A ContainerPlatforms entry names a RuntimeIdentifier that has no container platform.</summary>
    public const string UnknownRuntimeIdentifier = "MAB1102";
    /// <summary>An OCI platform has no .NET RuntimeIdentifier that can be published for it.</summary>
    public const string PlatformWithoutRuntimeIdentifier = "MAB1103";
    /// <summary>ContainerPlatforms names the same platform twice (perhaps once as a RID, once as os/arch), or two platforms published as one RuntimeIdentifier.</summary>
    public const string DuplicatePlatform = "MAB1104";
    /// <summary>Retired, never reused: a base index without the wanted platform is MAB2008 from a registry and a layout alike.</summary>
    public const string NoMatchingPlatform = "MAB1105";
}
