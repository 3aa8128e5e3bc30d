using System.Text;
using System.Text.Json;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Oci;

public class OciJsonTests
{
    // A Docker-built config with fields the model does not name: Healthcheck, Shell, OnBuild,
    // ArgsEscaped, a top-level vendor field, and a vendor field inside rootfs.
    private const string DockerConfig = """
        {"architecture":"arm","os":"linux","variant":"v7","created":"2024-01-02T03:04:05.123456789Z",
         "config":{"Env":["PATH=/usr/bin"],"Cmd":["bash"],"Healthcheck":{"Test":["CMD","true"],"Interval":30000000000},
                   "Shell":["/bin/sh","-c"],"OnBuild":["RUN echo hi"],"ArgsEscaped":true,"Labels":{"z":"1","a":"2"}},
         "rootfs":{"type":"layers","diff_ids":["sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],"x-vendor":1},
         "history":[{"created":"2024-01-02T03:04:05Z","created_by":"/bin/sh -c #(nop) ADD file","comment":"buildkit.dockerfile.v0"}],
         "moby.buildkit.buildinfo.v1":"e30="}
        """;

    [Fact]
    public void UnknownConfigFieldsSurviveRoundTrip()
    {
        var config = OciJson.DeserializeConfig(Encoding.UTF8.GetBytes(DockerConfig));
        var again = OciJson.DeserializeConfig(OciJson.Serialize(config));
        using var doc = JsonDocument.Parse(OciJson.Serialize(again));
        var root = doc.RootElement;
        var inner = root.GetProperty("config");
        Assert.Equal(30000000000, inner.GetProperty("Healthcheck").GetProperty("Interval").GetInt64());
        Assert.Equal("/bin/sh", inner.GetProperty("Shell")[0].GetString());
        Assert.Equal("RUN echo hi", inner.GetProperty("OnBuild")[0].GetString());
        Assert.True(inner.GetProperty("ArgsEscaped").GetBoolean());
        Assert.Equal("e30=", root.GetProperty("moby.buildkit.buildinfo.v1").GetString());
        Assert.Equal(1, root.GetProperty("rootfs").GetProperty("x-vendor").GetInt32());
        Assert.Equal("buildkit.dockerfile.v0", root.GetProperty("history")[0].GetProperty("comment").GetString());
        Assert.Equal("v7", again.Variant);
        Assert.Equal("2024-01-02T03:04:05.123456789Z", again.Created);
    }

    [Fact]
    public void SerializationIsCanonical()
    {
        var a = new ImageConfig { Architecture = "amd64", OS = "linux", Config = new ContainerConfig { Labels = new StringMap { ["b"] = "2", ["a"] = "1", ["B"] = "3" } } };
        var b = new ImageConfig { Architecture = "amd64", OS = "linux", Config = new ContainerConfig { Labels = new StringMap { ["B"] = "3", ["a"] = "1", ["b"] = "2" } } };
        Assert.Equal(OciJson.Serialize(a), OciJson.Serialize(b));
        string json = Encoding.UTF8.GetString(OciJson.Serialize(a));
        Assert.Contains("\"Labels\":{\"B\":\"3\",\"a\":\"1\",\"b\":\"2\"}", json);
        Assert.DoesNotContain("null", json);
    }

    [Fact]
    public void MediaTypesAreWrittenWithoutEscaping()
    {
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Descriptor.For(MediaTypes.OciConfig, "{}"u8),
            Layers = [Descriptor.For(MediaTypes.OciLayerGzip, "x"u8)],
        };
        string json = Encoding.UTF8.GetString(OciJson.Serialize(manifest));
        Assert.StartsWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{", json);
        Assert.Contains("\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\"", json);
    }

    [Fact]
    public void ManifestKeepsSubjectArtifactTypeAnnotationsAndUnknownFields()
    {
        const string json = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example+json",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2,"data":"e30="},
             "layers":[],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0},
             "annotations":{"org.opencontainers.image.created":"2024-01-01T00:00:00Z"},"x-extra":[1,2]}
            """;
        var manifest = OciJson.DeserializeManifest(Encoding.UTF8.GetBytes(json));
        Assert.Equal("application/vnd.example+json", manifest.ArtifactType);
        Assert.NotNull(manifest.Subject);
        Assert.Equal("{}", Encoding.UTF8.GetString(manifest.Config.Data!));
        string again = Encoding.UTF8.GetString(OciJson.Serialize(manifest));
        Assert.Contains("\"x-extra\":[1,2]", again);
        Assert.Contains("\"data\":\"e30=\"", again);
    }

    [Fact]
    public void DockerManifestListReadsAsIndex()
    {
        const string json = """
            {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[
             {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":7,
              "platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
             {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":7,
              "platform":{"architecture":"amd64","os":"windows","os.version":"10.0.20348.2527","os.features":["win32k"]}}]}
            """;
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        Assert.True(OciJson.LooksLikeIndex(bytes));
        Assert.True(MediaTypes.IsIndex(OciJson.PeekMediaType(bytes)));
        var index = OciJson.DeserializeIndex(bytes);
        Assert.Equal("linux/arm64/v8", index.Manifests[0].Platform!.ToString());
        Assert.Equal("windows(10.0.20348.2527)/amd64", index.Manifests[1].Platform!.ToString());
        Assert.Equal(["win32k"], index.Manifests[1].Platform!.OSFeatures!);
        Assert.Equal(ImageFormat.Docker, MediaTypes.FamilyOf(index.MediaType!));
    }

    [Fact]
    public void InvalidDocumentsGetACode()
    {
        var ex = Assert.Throws<MabException>(() => OciJson.DeserializeManifest("{\"config\":{\"digest\":\"nope\"}}"u8));
        Assert.Equal(ErrorCode.InvalidDocument, ex.Code);
        ex = Assert.Throws<MabException>(() => OciJson.DeserializeIndex("[1,2"u8));
        Assert.Equal(ErrorCode.InvalidDocument, ex.Code);
    }

    [Fact]
    public void DockerFamilyMediaTypes()
    {
        Assert.Equal("application/vnd.docker.image.rootfs.diff.tar.gzip", MediaTypes.DockerLayerGzip);
        Assert.Equal(MediaTypes.DockerConfig, MediaTypes.ConfigFor(ImageFormat.Docker));
        Assert.Equal(MediaTypes.OciIndex, MediaTypes.IndexFor(ImageFormat.Oci));
        Assert.True(MediaTypes.IsManifest(MediaTypes.DockerManifest));
        Assert.False(MediaTypes.IsIndex(MediaTypes.OciManifest));
    }
}
