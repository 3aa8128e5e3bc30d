using MultiArch.Build.Diagnostics;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Which of the parsed platforms MultiArch.Build can build images for. Windows container layers keep
/// their files under <c>Files/</c> and registry hives under <c>Hives/</c>, with Windows-specific tar
/// headers; a plain Linux-style layer would give an image Windows cannot unpack, so Windows platforms are
/// refused up front rather than pushed broken.
/// </summary>
public static class SupportedPlatforms
{
    public static void Require(IEnumerable<PlatformTarget> targets)
    {
        var windows = targets.Where(t => string.Equals(t.Platform.OS, "windows", StringComparison.OrdinalIgnoreCase)).ToList();
        if (windows.Count == 0) return;
        throw new MabException(ErrorCode.WindowsImagesNotSupported,
            $"ContainerPlatforms asks for {string.Join(", ", windows.Select(t => $"{t.Platform} ({t.RuntimeIdentifier})"))}. MultiArch.Build does not write Windows container layers yet " +
            "(they need Files/ and Hives/ roots). Remove the Windows platforms, or publish the Windows image with the .NET SDK's PublishContainer.");
    }
}
