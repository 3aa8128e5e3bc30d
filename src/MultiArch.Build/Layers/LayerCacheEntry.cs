using System.Text.Json.Serialization;

namespace MultiArch.Build.Layers;

/// <summary>What a layer cache entry file holds: enough to describe the layer without reading its blob.</summary>
internal sealed record LayerCacheEntry(string MediaType, string Digest, long Size, string DiffId, long UncompressedSize);

[JsonSerializable(typeof(LayerCacheEntry))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class LayerCacheJson : JsonSerializerContext;
