using MultiArch.Build.Layers;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Says which split layer each published file belongs to, from what the SDK reported about it:
/// runtime-pack files make the runtime layer; other NuGet assets the packages layer (native ones the
/// platform-packages layer); everything else (the app's assemblies, apphost, content, config,
/// *.deps.json and *.runtimeconfig.json) the app layer.
/// </summary>
/// <remarks>
/// *.deps.json and *.runtimeconfig.json go with the app: they are a few kilobytes, they name the app,
/// its version and (deps.json) the RID, and deps.json changes whenever a package reference does. In a
/// lower layer they would make the runtime layer differ between apps and the packages layer differ
/// between platforms, which is exactly what the split is there to avoid.
/// </remarks>
public static class PublishLayerClassifier
{
    public static LayerCategory CategoryOf(PublishedFile file)
    {
        if (file.IsRuntimePackAsset) return LayerCategory.Runtime;
        if (string.IsNullOrEmpty(file.NuGetPackageId)) return LayerCategory.App;
        return string.Equals(file.AssetType, "native", StringComparison.OrdinalIgnoreCase)
            ? LayerCategory.PlatformPackages
            : LayerCategory.Packages;
    }

    /// <summary>The category of every published file, keyed by its path in the image under <paramref name="imageRoot"/>.</summary>
    public static IReadOnlyDictionary<string, LayerCategory> Classify(PublishedPlatform platform, string imageRoot)
    {
        var categories = new Dictionary<string, LayerCategory>(StringComparer.Ordinal);
        foreach (var file in platform.Files)
            categories[PublishLayerSource.ImagePathOf(imageRoot, file.RelativePath)] = CategoryOf(file);
        return categories;
    }
}
