using System.Text.Json;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Images;

public class ImageBuilderTests
{
    private static readonly DateTimeOffset BuildTime = new(2024, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private static ImageConfig ConfigOf(ImageArtifact image)
    {
        var config = image.Blobs[0];
        Assert.Equal(image.Manifest.Config.Digest, config.Descriptor.Digest);
        using var stream = config.Source.OpenReadAsync(config.Descriptor, default).Result;
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        Assert.True(config.Descriptor.Digest.Matches(bytes.ToArray()));
        return OciJson.DeserializeConfig(bytes.ToArray());
    }

    private static byte[] ConfigBytes(ImageArtifact image) => OciJson.Serialize(ConfigOf(image));

    [Fact]
    public void EnvIsMergedByNameKeepingOrder()
    {
        var source = new MemoryBlobSource();
        var edits = new ImageConfigEdits { Env = [("LANG", "en_US.UTF-8"), ("DOTNET_RUNNING_IN_CONTAINER", "true"), ("APP_HOME", "/app")], Created = BuildTime };
        var image = ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, source), [], edits);
        Assert.Equal(
            ["PATH=/usr/local/bin:/usr/bin", "LANG=en_US.UTF-8", "APP_HOME=/app", "DOTNET_RUNNING_IN_CONTAINER=true"],
            ConfigOf(image).Config!.Env);
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    public void BadEnvNameIsACodedError(string name)
    {
        var edits = new ImageConfigEdits { Env = [(name, "x")] };
        var ex = Assert.Throws<MabException>(() => ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, new MemoryBlobSource()), [], edits));
        Assert.Equal(ErrorCode.InvalidEnvironmentVariable, ex.Code);
    }

    [Fact]
    public void UnknownBaseFieldsSurvive()
    {
        var image = ImageBuilder.Build(TestBases.Make(ImageFormat.Docker, new MemoryBlobSource()), [], new ImageConfigEdits { Cmd = ["dotnet", "app.dll"] });
        using var original = JsonDocument.Parse(TestBases.ConfigJson);
        using var written = JsonDocument.Parse(ConfigBytes(image));
        foreach (var name in new[] { "Healthcheck", "Shell", "OnBuild", "ArgsEscaped" })
        {
            var expected = original.RootElement.GetProperty("config").GetProperty(name);
            var actual = written.RootElement.GetProperty("config").GetProperty(name);
            Assert.True(JsonElement.DeepEquals(expected, actual), $"{name}: {expected.GetRawText()} became {actual.GetRawText()}");
        }
        Assert.Equal("eyJ2IjoxfQ==", written.RootElement.GetProperty("moby.buildkit.buildinfo.v1").GetString());
        Assert.Equal("kept", written.RootElement.GetProperty("config").GetProperty("Labels").GetProperty("base.label").GetString());
    }

    [Fact]
    public void HistoryAndDiffIdsAreAppendedAndPlatformFieldsKept()
    {
        var source = new MemoryBlobSource();
        var baseImage = TestBases.Make(ImageFormat.Oci, source);
        var layers = new[] { TestBases.Layer(source, "deps"), TestBases.Layer(source, "app") };
        var config = ConfigOf(ImageBuilder.Build(baseImage, layers, new ImageConfigEdits { Created = BuildTime }));

        Assert.Equal([.. baseImage.Config.RootFs.DiffIds, layers[0].DiffId, layers[1].DiffId], config.RootFs.DiffIds);
        Assert.Equal(4, config.History!.Count);
        Assert.Equal("ADD rootfs.tar /", config.History[0].CreatedBy);
        Assert.Equal(["COPY deps /app", "COPY app /app"], config.History.Skip(2).Select(h => h.CreatedBy));
        Assert.All(config.History.Skip(2), h => Assert.Equal("2024-02-03T04:05:06Z", h.Created));
        Assert.Equal("2024-02-03T04:05:06Z", config.Created);
        Assert.Equal("v8", config.Variant);
        Assert.Equal("10.0.17763.1", config.OSVersion);
        Assert.Equal("arm64", config.Architecture);
    }

    [Fact]
    public void ProcessEditsReplaceTheBase()
    {
        var edits = new ImageConfigEdits
        {
            Entrypoint = ["/app/api"],
            WorkingDir = "/app",
            User = "1654",
            StopSignal = "SIGTERM",
            Ports = ["8080", "53/UDP"],
            Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "api", ["base.label"] = "replaced" },
        };
        var config = ConfigOf(ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, new MemoryBlobSource()), [], edits)).Config!;
        Assert.Equal(["/app/api"], config.Entrypoint);
        Assert.Null(config.Cmd); // the base's "bash" was an argument for the base's entrypoint
        Assert.Equal("/app", config.WorkingDir);
        Assert.Equal("1654", config.User);
        Assert.Equal("SIGTERM", config.StopSignal);
        Assert.Equal(["53/udp", "8080/tcp"], config.ExposedPorts!.Keys);
        Assert.Equal("replaced", config.Labels!["base.label"]);
        Assert.Equal("api", config.Labels["org.opencontainers.image.title"]);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000/tcp")]
    [InlineData("8080/http")]
    [InlineData("")]
    public void BadPortIsACodedError(string port)
    {
        var ex = Assert.Throws<MabException>(() =>
            ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, new MemoryBlobSource()), [], new ImageConfigEdits { Ports = [port] }));
        Assert.Equal(ErrorCode.InvalidPort, ex.Code);
    }

    [Fact]
    public void DockerBaseGivesDockerFamily()
    {
        var source = new MemoryBlobSource();
        var image = ImageBuilder.Build(TestBases.Make(ImageFormat.Docker, source), [TestBases.Layer(source, "app")], new ImageConfigEdits());
        Assert.Equal(MediaTypes.DockerManifest, image.Manifest.MediaType);
        Assert.Equal(MediaTypes.DockerManifest, image.Descriptor.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, image.Manifest.Config.MediaType);
        Assert.Equal([MediaTypes.DockerLayerGzip, MediaTypes.DockerForeignLayerGzip, MediaTypes.DockerLayerGzip], image.Manifest.Layers.Select(l => l.MediaType));
    }

    [Fact]
    public void ForcedOciConvertsDockerMediaTypes()
    {
        var source = new MemoryBlobSource();
        var image = ImageBuilder.Build(TestBases.Make(ImageFormat.Docker, source), [TestBases.Layer(source, "app", MediaTypes.DockerLayerGzip)], new ImageConfigEdits(), ImageFormat.Oci);
        Assert.Equal(MediaTypes.OciManifest, image.Manifest.MediaType);
        Assert.Equal(MediaTypes.OciConfig, image.Manifest.Config.MediaType);
        Assert.Equal([MediaTypes.OciLayerGzip, MediaTypes.OciLayerNondistributableGzip, MediaTypes.OciLayerGzip], image.Manifest.Layers.Select(l => l.MediaType));
        Assert.Equal(image.Manifest.Layers.Select(l => l.MediaType), image.Blobs.Skip(1).Select(b => b.Descriptor.MediaType));
    }

    [Fact]
    public void ForcedDockerConvertsOciMediaTypesAndRefusesZstd()
    {
        var source = new MemoryBlobSource();
        var image = ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, source), [], new ImageConfigEdits(), ImageFormat.Docker);
        Assert.Equal([MediaTypes.DockerLayerGzip, MediaTypes.DockerForeignLayerGzip], image.Manifest.Layers.Select(l => l.MediaType));

        var zstd = TestBases.Layer(source, "zstd", MediaTypes.OciLayerZstd);
        var ex = Assert.Throws<MabException>(() => ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, source), [zstd], new ImageConfigEdits(), ImageFormat.Docker));
        Assert.Equal(ErrorCode.LayerMediaTypeNotConvertible, ex.Code);
    }

    [Fact]
    public void LayerCountMismatchIsACodedError()
    {
        var ex = Assert.Throws<MabException>(() => ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, new MemoryBlobSource(), layerCount: 1), [], new ImageConfigEdits()));
        Assert.Equal(ErrorCode.BaseLayerCountMismatch, ex.Code);
    }

    [Fact]
    public void AnIndexIsNotABase()
    {
        var baseImage = TestBases.Make(ImageFormat.Oci, new MemoryBlobSource()) with { ManifestMediaType = MediaTypes.OciIndex };
        var ex = Assert.Throws<MabException>(() => ImageBuilder.Build(baseImage, [], new ImageConfigEdits()));
        Assert.Equal(ErrorCode.BaseNotAManifest, ex.Code);
    }

    [Fact]
    public void BlobsAreConfigThenBaseLayersThenNewLayersWithTheirSources()
    {
        var baseSource = new MemoryBlobSource();
        var layerSource = new MemoryBlobSource();
        var baseImage = TestBases.Make(ImageFormat.Oci, baseSource);
        var layer = TestBases.Layer(layerSource, "app");
        var image = ImageBuilder.Build(baseImage, [layer], new ImageConfigEdits());

        Assert.Equal(4, image.Blobs.Count);
        Assert.Equal(image.Manifest.Config, image.Blobs[0].Descriptor);
        Assert.Same(baseSource, image.Blobs[1].Source);
        Assert.Same(baseSource, image.Blobs[2].Source);
        Assert.Same(layerSource, image.Blobs[3].Source);
        Assert.Equal([.. baseImage.Manifest.Layers.Select(l => l.Digest), layer.Blob.Digest], image.Manifest.Layers.Select(l => l.Digest));
        Assert.Equal(image.Manifest.Layers.Select(l => l.Digest), image.Blobs.Skip(1).Select(b => b.Descriptor.Digest));
    }

    [Fact]
    public void PlatformGivenIsCarriedUntouched()
    {
        // A platform as an index lists it, with a field this product does not know.
        var platform = OciJson.DeserializeIndex("""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":1,"platform":{"architecture":"arm64","os":"linux","variant":"v8","x.vendor":"kept"}}]}"""u8).Manifests[0].Platform!;
        var image = ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, new MemoryBlobSource(), platform), [], new ImageConfigEdits());
        Assert.Equal(OciJson.Serialize(platform), OciJson.Serialize(image.Descriptor.Platform!));
    }

    [Fact]
    public void ManifestCarriesOnlyTheEditsAnnotations()
    {
        var edits = new ImageConfigEdits { Annotations = new Dictionary<string, string> { ["org.opencontainers.image.source"] = "https://example.test/app" } };
        var image = ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, new MemoryBlobSource()), [], edits);
        Assert.Equal(edits.Annotations, image.Manifest.Annotations);
        Assert.Equal(image.Descriptor.Digest, Digest.Compute(OciJson.Serialize(image.Manifest)));
    }

    [Fact]
    public void SameInputsGiveTheSameManifestDigest()
    {
        ImageArtifact Build(bool reversed, DateTimeOffset created)
        {
            var source = new MemoryBlobSource();
            var labels = new[] { ("a", "1"), ("b", "2") };
            var edits = new ImageConfigEdits
            {
                Labels = (reversed ? labels.Reverse() : labels).ToDictionary(l => l.Item1, l => l.Item2),
                Env = [("X", "1")],
                Ports = ["80"],
                Created = created,
            };
            return ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, source), [TestBases.Layer(source, "app")], edits);
        }

        var first = Build(reversed: false, BuildTime);
        var second = Build(reversed: true, BuildTime);
        Assert.Equal(first.Descriptor.Digest, second.Descriptor.Digest);
        Assert.Equal(first.ManifestBytes, second.ManifestBytes);
        Assert.NotEqual(first.Descriptor.Digest, Build(reversed: false, BuildTime.AddSeconds(1)).Descriptor.Digest);
    }

    [Fact]
    public void EmptyLabelKeysAndIncompleteLayersAreCodedErrors()
    {
        var source = new MemoryBlobSource();
        var label = Assert.Throws<MabException>(() => ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, source), [],
            new ImageConfigEdits { Labels = new Dictionary<string, string> { [" "] = "x" } }));
        Assert.Equal(ErrorCode.InvalidLabel, label.Code);

        var noDiffId = TestBases.Layer(source, "app") with { DiffId = default };
        var layer = Assert.Throws<MabException>(() => ImageBuilder.Build(TestBases.Make(ImageFormat.Oci, source), [noDiffId], new ImageConfigEdits()));
        Assert.Equal(ErrorCode.InvalidNewLayer, layer.Code);
    }
}
