using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks;

/// <summary>
/// Builds every platform's image over its base, the index over them, and writes them to a registry,
/// an OCI layout directory or an OCI archive. Children first, index next, tags last.
/// </summary>
public sealed partial class PublishContainerImages : ContractTask
{
    /// <summary>One item per platform (Include = OCI platform), metadata RuntimeIdentifier and BaseImage.</summary>
    [Required]
    public ITaskItem[] Platforms { get; set; } = [];

    /// <summary>Published files (Include = full path), metadata ContainerPlatform, RelativePath, PublishDir, NuGetPackageId, AssetType, RuntimePackAsset, ProjectAssetsFile, TargetFramework.</summary>
    public ITaskItem[] PublishedFiles { get; set; } = [];

    public string? Registry { get; set; }
    [Required]
    public string Repository { get; set; } = "";
    public string? ImageTags { get; set; }
    public string? ImageFormat { get; set; }
    public string? LayoutPath { get; set; }
    public string? ArchiveOutputPath { get; set; }
    public string? MetadataFile { get; set; }
    public string? InsecureRegistries { get; set; }
    public bool PushByDigest { get; set; }
    [Required]
    public string BlobCacheDirectory { get; set; } = "";

    /// <summary>Split (runtime, packages, app layers; the default) or Single.</summary>
    public string? LayerStrategy { get; set; }

    /// <summary>gzip (the default) or zstd (OCI images only).</summary>
    public string? LayerCompression { get; set; }

    /// <summary>Where unchanged layers are remembered between builds; empty writes every layer afresh.</summary>
    public string? LayerCacheDirectory { get; set; }

    /// <summary>Makes an SPDX 2.3 SBOM per platform image from each platform's restore output (metadata ProjectAssetsFile of the published files) and deps.json.</summary>
    public bool GenerateSbom { get; set; }

    /// <summary>referrers (the default: an OCI 1.1 referrer per platform image) or index (BuildKit's attestation entries).</summary>
    public string? SbomStorage { get; set; }

    public string WorkingDirectory { get; set; } = "/app/";
    public string? User { get; set; }
    public bool IsSelfContained { get; set; }
    public string AssemblyName { get; set; } = "";
    public string TargetFileName { get; set; } = "";

    public ITaskItem[] Ports { get; set; } = [];
    public ITaskItem[] EnvironmentVariables { get; set; } = [];
    public ITaskItem[] Labels { get; set; } = [];
    public ITaskItem[] Annotations { get; set; } = [];

    /// <summary>Generated org.opencontainers.image.* values (Include = key, metadata Value); blank values are left out, created is added.</summary>
    public ITaskItem[] GeneratedAnnotations { get; set; } = [];
    /// <summary>Writes the generated values (and base.name/base.digest) as config labels.</summary>
    public bool GenerateLabels { get; set; }
    /// <summary>Writes the generated values (and base.name/base.digest) as manifest and index annotations.</summary>
    public bool GenerateAnnotations { get; set; }
    public ITaskItem[] Entrypoint { get; set; } = [];
    public ITaskItem[] EntrypointArgs { get; set; } = [];
    public ITaskItem[] AppCommand { get; set; } = [];
    public ITaskItem[] AppCommandArgs { get; set; } = [];
    public ITaskItem[] DefaultArgs { get; set; } = [];
    public string? AppCommandInstruction { get; set; }

    /// <summary>One item per platform image: Include = platform, metadata ManifestDigest, RuntimeIdentifier, Size.</summary>
    [Output]
    public ITaskItem[] Images { get; private set; } = [];

    [Output]
    public string? IndexDigest { get; private set; }

    /// <summary>
    /// What was written, as one block (the core's PublishSummary.Block): platforms, digests, sizes, bytes
    /// uploaded, index and references. The targets print it as the project's output line, which the terminal logger shows.
    /// </summary>
    [Output]
    public string? Summary { get; private set; }
}
