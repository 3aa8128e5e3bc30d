using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks;

/// <summary>Validates repository, tags, format, registry, layer strategy, SBOM storage, app command instruction and the container items before any inner build runs; outputs the normalized repository.</summary>
public sealed partial class CheckContainerSettings : ContractTask
{
    [Required]
    public string Repository { get; set; } = "";
    public string? ImageTags { get; set; }
    public string? ImageFormat { get; set; }
    public string? Registry { get; set; }
    public string? LayerStrategy { get; set; }
    public string? AppCommandInstruction { get; set; }
    public string? LayerCompression { get; set; }
    public bool GenerateSbom { get; set; }
    public string? SbomStorage { get; set; }
    public bool PushByDigest { get; set; }

    public ITaskItem[] Ports { get; set; } = [];
    public ITaskItem[] EnvironmentVariables { get; set; } = [];
    public ITaskItem[] Labels { get; set; } = [];
    public ITaskItem[] Annotations { get; set; } = [];
    public ITaskItem[] Entrypoint { get; set; } = [];
    public ITaskItem[] EntrypointArgs { get; set; } = [];
    public ITaskItem[] AppCommand { get; set; } = [];
    public ITaskItem[] AppCommandArgs { get; set; } = [];
    public ITaskItem[] DefaultArgs { get; set; } = [];

    [Output]
    public string NormalizedRepository { get; private set; } = "";
}
