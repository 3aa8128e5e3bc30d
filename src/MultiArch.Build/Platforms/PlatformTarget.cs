using MultiArch.Build.Oci;

namespace MultiArch.Build.Platforms;

/// <summary>One platform of the image: what to write in the index and which RID to publish for it.</summary>
public sealed record PlatformTarget(Platform Platform, string RuntimeIdentifier)
{
    public override string ToString() => $"{PlatformFormatter.Format(Platform)} ({RuntimeIdentifier})";
}
