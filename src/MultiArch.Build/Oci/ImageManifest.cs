using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiArch.Build.Oci;

/// <summary>An OCI image manifest, or a Docker v2 schema 2 manifest (same shape).</summary>
public sealed class ImageManifest
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; set; } = 2;

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; set; }

    [JsonPropertyName("config")]
    public Descriptor Config { get; set; } = new();

    [JsonPropertyName("layers")]
    public List<Descriptor> Layers { get; set; } = [];

    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; set; }

    [JsonPropertyName("annotations")]
    public StringMap? Annotations { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
