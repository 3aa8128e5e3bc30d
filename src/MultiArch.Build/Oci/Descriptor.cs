using System.Text.Json;
using System.Text.Json.Serialization;

namespace MultiArch.Build.Oci;

/// <summary>An OCI content descriptor (image-spec descriptor.md).</summary>
public sealed class Descriptor
{
    [JsonPropertyName("mediaType")]
    public string MediaType { get; set; } = "";

    [JsonPropertyName("digest")]
    public Digest Digest { get; set; }

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("urls")]
    public List<string>? Urls { get; set; }

    [JsonPropertyName("annotations")]
    public StringMap? Annotations { get; set; }

    [JsonPropertyName("data")]
    public byte[]? Data { get; set; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; set; }

    [JsonPropertyName("platform")]
    public Platform? Platform { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public Descriptor Clone() => new()
    {
        MediaType = MediaType,
        Digest = Digest,
        Size = Size,
        Urls = Urls is null ? null : [.. Urls],
        Annotations = Annotations is null ? null : new StringMap(Annotations),
        Data = Data,
        ArtifactType = ArtifactType,
        Platform = Platform?.Clone(),
        Extra = Extra is null ? null : new(Extra),
    };

    public static Descriptor For(string mediaType, ReadOnlySpan<byte> content) =>
        new() { MediaType = mediaType, Digest = Digest.Compute(content), Size = content.Length };

    public override string ToString() => $"{MediaType} {Digest} ({Size} bytes)";
}
