using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Platforms;

/// <summary>Builds platforms field by field, for cases that are not written as strings.</summary>
internal static class TestPlatforms
{
    public static Platform Of(string os, string architecture, string? variant = null, string? osVersion = null, params string[] features) => new()
    {
        OS = os,
        Architecture = architecture,
        Variant = variant,
        OSVersion = osVersion,
        OSFeatures = features.Length == 0 ? null : [.. features],
    };

    public static Descriptor Manifest(Platform? platform, int seed) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = Digest.Compute(BitConverter.GetBytes(seed)),
        Size = 100 + seed,
        Platform = platform,
    };
}
