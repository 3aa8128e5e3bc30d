using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MultiArch.Build.Sbom;

/// <summary>
/// The one JSON writer of SBOM documents and in-toto statements: compact, no HTML escaping, nulls left out, and every
/// object's keys in ordinal order at every depth, so a document's bytes depend only on its content. Arrays keep the
/// order they were built in; the builders sort them.
/// </summary>
public static class SbomJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    private static readonly SbomJsonContext Context = new(new JsonSerializerOptions(Options));

    public static byte[] Serialize(SpdxDocument document) => Canonical(JsonSerializer.SerializeToNode(document, Context.SpdxDocument));

    public static SpdxDocument Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, Context.SpdxDocument) ?? throw new JsonException("The SPDX document is the JSON value null.");

    /// <summary>Writes any JSON tree with its object keys sorted.</summary>
    public static byte[] Canonical(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder, Indented = false }))
            Write(writer, node);
        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}

[JsonSerializable(typeof(SpdxDocument))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class SbomJsonContext : JsonSerializerContext;
