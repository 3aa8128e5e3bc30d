using System.Text;
using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Images;

/// <summary>Base images for builder tests, made from literal JSON the way a registry would serve them.</summary>
public static class TestBases
{
    public const string ConfigJson = """
        {
          "architecture": "arm64",
          "os": "linux",
          "os.version": "10.0.17763.1",
          "variant": "v8",
          "created": "2023-05-01T10:00:00Z",
          "config": {
            "Env": ["PATH=/usr/local/bin:/usr/bin", "LANG=C.UTF-8", "APP_HOME=/base"],
            "Cmd": ["bash"],
            "Healthcheck": {"Test": ["CMD", "true"], "Interval": 30000000000},
            "Shell": ["/bin/bash", "-c"],
            "OnBuild": ["RUN echo hi"],
            "ArgsEscaped": true,
            "Labels": {"base.label": "kept"}
          },
          "rootfs": {"type": "layers", "diff_ids": ["sha256:1111111111111111111111111111111111111111111111111111111111111111", "sha256:2222222222222222222222222222222222222222222222222222222222222222"]},
          "history": [{"created": "2023-05-01T10:00:00Z", "created_by": "ADD rootfs.tar /"}, {"created": "2023-05-01T10:00:00Z", "created_by": "RUN apt-get install"}],
          "moby.buildkit.buildinfo.v1": "eyJ2IjoxfQ=="
        }
        """;

    /// <summary>An empty base (like <c>FROM scratch</c>) for the given platform.</summary>
    public static BaseImage Scratch(Platform platform, ImageFormat format = ImageFormat.Oci) => new(
        new ImageManifest { MediaType = MediaTypes.ManifestFor(format) },
        MediaTypes.ManifestFor(format),
        new ImageConfig
        {
            OS = platform.OS,
            Architecture = platform.Architecture,
            Variant = platform.Variant,
            OSVersion = platform.OSVersion,
            OSFeatures = platform.OSFeatures is null ? null : [.. platform.OSFeatures],
        },
        new MemoryBlobSource(),
        platform.Clone());

    /// <summary>A two-layer base in the given family; the second layer is foreign/non-distributable.</summary>
    public static BaseImage Make(ImageFormat format, MemoryBlobSource layerSource, Platform? platform = null, int? layerCount = null)
    {
        var config = OciJson.DeserializeConfig(Encoding.UTF8.GetBytes(ConfigJson));
        var layers = new List<Descriptor>
        {
            layerSource.Add(format == ImageFormat.Docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip, "base layer one"u8.ToArray()),
            layerSource.Add(format == ImageFormat.Docker ? MediaTypes.DockerForeignLayerGzip : MediaTypes.OciLayerNondistributableGzip, "base layer two"u8.ToArray()),
        };
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.ManifestFor(format),
            Config = Descriptor.For(MediaTypes.ConfigFor(format), OciJson.Serialize(config)),
            Layers = layers.Take(layerCount ?? layers.Count).ToList(),
            Annotations = new StringMap { ["org.opencontainers.image.version"] = "base-1.0" },
        };
        return new BaseImage(manifest, MediaTypes.ManifestFor(format), config, layerSource, platform);
    }

    /// <summary>A new layer whose bytes are in memory (its content is not a real tar; the builder never reads it).</summary>
    public static NewLayer Layer(MemoryBlobSource source, string text, string mediaType = MediaTypes.OciLayerGzip) =>
        new(source.Add(mediaType, Encoding.UTF8.GetBytes(text)), Digest.Compute(Encoding.UTF8.GetBytes("diff " + text)), source, $"COPY {text} /app", "new layer");
}
