namespace MultiArch.Build.Layers;

/// <summary>
/// The layers a split plan makes, in image order: what changes least often sits lowest, so a rebuild
/// after a code change writes and sends only the top layer.
/// </summary>
public enum LayerCategory
{
    /// <summary>The .NET runtime of a self-contained app: the same for every app on one runtime version and RID.</summary>
    Runtime,

    /// <summary>NuGet package assets that are the same on every platform (managed assemblies, resources).</summary>
    Packages,

    /// <summary>NuGet package assets built for one platform (native libraries), kept apart so the managed ones can be shared across platforms.</summary>
    PlatformPackages,

    /// <summary>The app's own files: assemblies, apphost, content, config, deps.json and runtimeconfig.json.</summary>
    App,
}
