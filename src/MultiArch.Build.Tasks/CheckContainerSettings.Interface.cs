using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks;

/// <summary>Validates repository, tags, format, registry, layer strategy and app command instruction before any inner build runs; outputs the normalized repository.</summary>
public sealed partial class CheckContainerSettings
{
    [Required]
    public string Repository { get; set; } = "";
    public string? ImageTags { get; set; }
    public string? ImageFormat { get; set; }
    public string? Registry { get; set; }
    public string? LayerStrategy { get; set; }
    public string? AppCommandInstruction { get; set; }

    [Output]
    public string NormalizedRepository { get; private set; } = "";
}
