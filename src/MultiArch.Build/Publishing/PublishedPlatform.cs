using MultiArch.Build.Platforms;

namespace MultiArch.Build.Publishing;

/// <summary>One platform's publish output: what to build, on which base, from which files.</summary>
public sealed record PublishedPlatform(PlatformTarget Target, string BaseImage, string PublishDirectory, IReadOnlyList<PublishedFile> Files);

/// <summary>A file the publish wrote, with what the SDK knows of where it came from.</summary>
public sealed record PublishedFile(string SourcePath, string RelativePath, string? NuGetPackageId = null, string? AssetType = null);
