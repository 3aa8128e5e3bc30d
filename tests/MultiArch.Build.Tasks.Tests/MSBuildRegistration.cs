using System.Runtime.CompilerServices;
using Microsoft.Build.Locator;

namespace MultiArch.Build.Tasks.Tests;

/// <summary>
/// Registers the .NET SDK's MSBuild before any test can touch a Microsoft.Build type: the test assembly
/// carries no MSBuild of its own (ExcludeAssets=runtime), exactly like the shipped tasks.
/// </summary>
internal static class MSBuildRegistration
{
    [ModuleInitializer]
    internal static void Register()
    {
        if (!MSBuildLocator.IsRegistered)
            MSBuildLocator.RegisterInstance(MSBuildLocator.QueryVisualStudioInstances().OrderByDescending(i => i.Version).First());
    }
}
