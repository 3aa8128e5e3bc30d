using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Oci;

/// <summary>
/// Canonical JSON for OCI documents: compact, properties in declaration order, maps in ordinal key
/// order, nulls left out, and no HTML escaping (so <c>+</c> in media types stays <c>+</c>).
/// The same model always gives the same bytes.
/// </summary>
public static class OciJson
{
    private static readonly OciJsonContext Context = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    });

    public static byte[] Serialize(ImageManifest value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.ImageManifest);
    public static byte[] Serialize(ImageIndex value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.ImageIndex);
    public static byte[] Serialize(ImageConfig value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.ImageConfig);
    public static byte[] Serialize(Descriptor value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.Descriptor);
    public static byte[] Serialize(Platform value) => JsonSerializer.SerializeToUtf8Bytes(value, Context.Platform);

    public static ImageManifest DeserializeManifest(ReadOnlySpan<byte> json) => Read(json, Context.ImageManifest, "image manifest");
    public static ImageIndex DeserializeIndex(ReadOnlySpan<byte> json) => Read(json, Context.ImageIndex, "image index");
    public static ImageConfig DeserializeConfig(ReadOnlySpan<byte> json) => Read(json, Context.ImageConfig, "image config");

    /// <summary>Deep-copies a model through its canonical bytes.</summary>
    public static ImageConfig Clone(ImageConfig value) => DeserializeConfig(Serialize(value));

    /// <summary>
    /// Reads the top-level <c>mediaType</c> of a manifest or index without binding the whole document.
    /// Returns null when the document does not say.
    /// </summary>
    public static string? PeekMediaType(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isMediaType = reader.ValueTextEquals("mediaType"u8);
                reader.Read();
                if (isMediaType && reader.TokenType == JsonTokenType.String) return reader.GetString();
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when the document has a top-level <c>manifests</c> array, i.e. it is an index.</summary>
    public static bool LooksLikeIndex(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isManifests = reader.ValueTextEquals("manifests"u8);
                reader.Read();
                if (isManifests) return reader.TokenType == JsonTokenType.StartArray;
                reader.Skip();
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static T Read<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo)
                ?? throw new MabException(ErrorCode.InvalidDocument, $"The {what} is the JSON value null.");
        }
        catch (JsonException ex)
        {
            throw new MabException(ErrorCode.InvalidDocument, $"The {what} is not valid: {ex.Message}", ex);
        }
    }
}

[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(Platform))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
