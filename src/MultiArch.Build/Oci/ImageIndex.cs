using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiArch.Build.Oci;

/// <summary>An OCI image index, or a Docker manifest list (same shape).</summary>
public sealed class ImageIndex
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; set; } = 2;

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; set; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; set; }

    [JsonPropertyName("manifests")]
    public List<Descriptor> Manifests { get; set; } = [];

    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; set; }

    [JsonPropertyName("annotations")]
    public StringMap? Annotations { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
