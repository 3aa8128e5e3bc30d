using MultiArch.Build.Diagnostics;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Publishing;

/// <summary>The base image one platform builds on, and whether the build chose it (no ContainerBaseImage, no item).</summary>
public sealed record PlatformBase(PlatformTarget Target, string BaseImage, bool Inferred);

/// <summary>
/// Decides each platform's base image, in one order of precedence: a ContainerPlatform item's BaseImage for that
/// platform, then ContainerBaseImage, then the image the SDK would infer for the app's kind, framework and libc.
/// </summary>
public static class PlatformBases
{
    /// <param name="overrides">ContainerPlatform items: a platform (RID or os/arch) and the BaseImage metadata (may be blank).</param>
    /// <param name="listedPlatforms">ContainerPlatforms as written, for the message when an item names a platform it does not list.</param>
    public static IReadOnlyList<PlatformBase> Choose(IReadOnlyList<PlatformTarget> targets, IEnumerable<(string Platform, string? BaseImage)> overrides, string listedPlatforms,
        string? baseImage, AppKind kind, string targetFrameworkVersion, string? family, string? baseRegistry)
    {
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (spec, image) in overrides)
        {
            string platform = PlatformFormatter.Format(PlatformSpec.Parse(spec).Platform);
            if (!targets.Any(t => PlatformFormatter.Format(t.Platform) == platform))
                throw new MabException(ErrorCode.PlatformOverrideNotListed,
                    $"The ContainerPlatform item '{spec}' is for {platform}, which ContainerPlatforms ('{listedPlatforms}') does not list. Add it to ContainerPlatforms or remove the item.");
            if (!string.IsNullOrWhiteSpace(image)) chosen[platform] = image.Trim();
        }
        return targets.Select(target =>
        {
            string platform = PlatformFormatter.Format(target.Platform);
            if (chosen.TryGetValue(platform, out var own)) return new PlatformBase(target, own, false);
            if (!string.IsNullOrWhiteSpace(baseImage)) return new PlatformBase(target, baseImage.Trim(), false);
            // dotnet/runtime-deps has no Windows images: a self-contained Windows app goes on dotnet/runtime, which has one per Windows version.
            var platformKind = kind == AppKind.SelfContained && WindowsBuilds.AppliesTo(target.Platform) ? AppKind.Runtime : kind;
            string inferred = BaseImageInference.Infer(platformKind, targetFrameworkVersion, RidPlatformTable.IsMusl(target.RuntimeIdentifier), family, baseRegistry);
            return new PlatformBase(target, inferred, true);
        }).ToList();
    }
}
