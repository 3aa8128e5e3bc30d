using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiArch.Build.Oci;

/// <summary>
/// An OCI image config (or Docker container config). Every level keeps the fields it does not model
/// in <c>Extra</c>: Healthcheck, Shell, OnBuild and vendor fields of a base image survive untouched.
/// </summary>
public sealed class ImageConfig
{
    [JsonPropertyName("created")]
    public string? Created { get; set; }

    [JsonPropertyName("author")]
    public string? Author { get; set; }

    [JsonPropertyName("architecture")]
    public string Architecture { get; set; } = "";

    [JsonPropertyName("os")]
    public string OS { get; set; } = "";

    [JsonPropertyName("os.version")]
    public string? OSVersion { get; set; }

    [JsonPropertyName("os.features")]
    public List<string>? OSFeatures { get; set; }

    [JsonPropertyName("variant")]
    public string? Variant { get; set; }

    [JsonPropertyName("config")]
    public ContainerConfig? Config { get; set; }

    [JsonPropertyName("rootfs")]
    public RootFs RootFs { get; set; } = new();

    [JsonPropertyName("history")]
    public List<HistoryEntry>? History { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public Platform ToPlatform() => new()
    {
        OS = OS,
        Architecture = Architecture,
        Variant = string.IsNullOrEmpty(Variant) ? null : Variant,
        OSVersion = string.IsNullOrEmpty(OSVersion) ? null : OSVersion,
        OSFeatures = OSFeatures is { Count: > 0 } ? [.. OSFeatures] : null,
    };
}

/// <summary>The execution parameters of an image config (its <c>config</c> object).</summary>
public sealed class ContainerConfig
{
    [JsonPropertyName("User")]
    public string? User { get; set; }

    [JsonPropertyName("ExposedPorts")]
    public EmptyObjectSet? ExposedPorts { get; set; }

    [JsonPropertyName("Env")]
    public List<string>? Env { get; set; }

    [JsonPropertyName("Entrypoint")]
    public List<string>? Entrypoint { get; set; }

    [JsonPropertyName("Cmd")]
    public List<string>? Cmd { get; set; }

    [JsonPropertyName("Volumes")]
    public EmptyObjectSet? Volumes { get; set; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; set; }

    [JsonPropertyName("Labels")]
    public StringMap? Labels { get; set; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class RootFs
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "layers";

    [JsonPropertyName("diff_ids")]
    public List<Digest> DiffIds { get; set; } = [];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class HistoryEntry
{
    [JsonPropertyName("created")]
    public string? Created { get; set; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; set; }

    [JsonPropertyName("author")]
    public string? Author { get; set; }

    [JsonPropertyName("comment")]
    public string? Comment { get; set; }

    [JsonPropertyName("empty_layer")]
    public bool? EmptyLayer { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
