using System.Text.Json;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Writes ContainerMetadataFile: the index digest, every platform's manifest digest and size (and its SBOM's, with
/// ContainerGenerateSbom), the references written, and bytes uploaded and skipped, for CI steps that need them (sign, deploy, merge).
/// </summary>
public static class PublishMetadataFile
{
    public static void Write(string path, ContainerPublishResult result)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        using (var stream = File.Create(temp))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (result.Index is not null)
            {
                json.WriteString("indexDigest", result.Index.Digest.ToString());
                json.WriteString("indexMediaType", result.Index.MediaType);
                json.WriteNumber("indexSize", result.Index.Size);
            }
            json.WriteStartArray("manifests");
            foreach (var image in result.Images)
            {
                json.WriteStartObject();
                json.WriteString("platform", image.Platform);
                json.WriteString("runtimeIdentifier", image.RuntimeIdentifier);
                json.WriteString("digest", image.Manifest.Digest.ToString());
                json.WriteString("mediaType", image.Manifest.MediaType);
                json.WriteNumber("size", image.Manifest.Size);
                json.WriteString("baseImage", image.BaseImage);
                if (image.Sbom is { } sbom)
                {
                    // For a CI step that signs or scans the SBOM: the manifest that carries it, and the SPDX document's own digest.
                    json.WriteStartObject("sbom");
                    json.WriteString("storage", sbom.Storage == Sbom.SbomStorage.Index ? "index" : "referrers");
                    json.WriteString("digest", sbom.Manifest.Digest.ToString());
                    json.WriteString("mediaType", sbom.Manifest.MediaType);
                    json.WriteNumber("size", sbom.Manifest.Size);
                    json.WriteString("documentDigest", sbom.Document.ToString());
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("references");
            foreach (var reference in result.References) json.WriteStringValue(reference);
            json.WriteEndArray();
            json.WriteNumber("bytesUploaded", result.BytesUploaded);
            json.WriteNumber("bytesSkipped", result.BytesSkipped);
            json.WriteEndObject();
        }
        File.Move(temp, full, overwrite: true);
    }
}
