namespace MultiArch.Build.Publishing;

/// <summary>What kind of app is published, which decides the default base image.</summary>
public enum AppKind
{
    /// <summary>Framework-dependent console or worker app: needs the .NET runtime.</summary>
    Runtime,
    /// <summary>Framework-dependent ASP.NET Core app: needs the ASP.NET Core runtime.</summary>
    AspNet,
    /// <summary>Self-contained or native AOT app: needs only the runtime's OS dependencies.</summary>
    SelfContained,
}

/// <summary>
/// Infers the default base image the way the .NET SDK does: <c>dotnet/runtime-deps</c> for self-contained
/// or AOT apps, <c>dotnet/aspnet</c> for ASP.NET Core, <c>dotnet/runtime</c> otherwise; the tag is the
/// target framework's major.minor, with <c>-alpine</c> for musl platforms or <c>-&lt;family&gt;</c> when a
/// ContainerFamily is chosen.
/// </summary>
public static class BaseImageInference
{
    public const string DefaultRegistry = "mcr.microsoft.com";

    public static string Infer(AppKind kind, string targetFrameworkVersion, bool isMusl, string? family = null, string? registry = null)
    {
        string repository = kind switch
        {
            AppKind.SelfContained => "dotnet/runtime-deps",
            AppKind.AspNet => "dotnet/aspnet",
            _ => "dotnet/runtime",
        };
        string tag = MajorMinor(targetFrameworkVersion);
        if (!string.IsNullOrWhiteSpace(family)) tag += "-" + family.Trim();
        else if (isMusl) tag += "-alpine";
        string host = string.IsNullOrWhiteSpace(registry) ? DefaultRegistry : registry.Trim().TrimEnd('/');
        return $"{host}/{repository}:{tag}";
    }

    public static AppKind KindOf(bool isSelfContained, bool isAspNet) =>
        isSelfContained ? AppKind.SelfContained : isAspNet ? AppKind.AspNet : AppKind.Runtime;

    /// <summary><c>v10.0</c>, <c>10.0</c> or <c>net10.0</c> become <c>10.0</c>.</summary>
    public static string MajorMinor(string targetFrameworkVersion)
    {
        string value = targetFrameworkVersion.Trim();
        if (value.StartsWith("net", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("netcoreapp", StringComparison.OrdinalIgnoreCase))
            value = value[3..];
        value = value.TrimStart('v', 'V');
        if (!Version.TryParse(value.Contains('.') ? value : value + ".0", out var version))
            throw new Diagnostics.MabException(Diagnostics.ErrorCode.UnknownTargetFramework,
                $"Cannot infer a base image tag from target framework version '{targetFrameworkVersion}'. Set ContainerBaseImage to a full image reference.");
        return $"{version.Major}.{version.Minor}";
    }
}
