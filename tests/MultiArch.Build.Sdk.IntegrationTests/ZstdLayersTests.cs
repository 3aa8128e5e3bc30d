namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// ContainerLayerCompression=zstd: the new layers are tar+zstd over the base's gzip layers, and real consumers
/// read them: podman pulls and runs the image, and containerd (its own daemon) pulls and unpacks it.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class ZstdLayersTests(SdkFixture fixture)
{
    [Fact]
    public void ZstdLayersArePulledAndRunByPodmanAndUnpackedByContainerd()
    {
        using var app = new AppProject(fixture, "Zstd", AppProject.ConsoleProperties(), """Console.WriteLine("zstd layers run");""");
        string repository = $"{fixture.Registry}/e2e/zstd";
        var publish = app.Publish("ContainerPlatforms=linux-x64", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/zstd",
            $"ContainerBaseImage={fixture.RuntimeBase}", "ContainerLayerCompression=zstd", "UseAppHost=false");
        Assert.True(publish.ExitCode == 0, publish.All);

        var index = Skopeo.InspectRaw(repository + ":latest");
        string digest = Assert.Single(index.GetProperty("manifests").EnumerateArray()).GetProperty("digest").GetString()!;
        var manifest = Skopeo.InspectRaw($"{repository}@{digest}");
        int baseLayers = Skopeo.InspectRaw(Skopeo.ImageFor(fixture.RuntimeBase, "linux/amd64")).GetProperty("layers").GetArrayLength();
        var types = manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("mediaType").GetString()).ToList();
        Assert.All(types.Take(baseLayers), t => Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", t));
        Assert.All(types.Skip(baseLayers), t => Assert.Equal("application/vnd.oci.image.layer.v1.tar+zstd", t));
        Assert.True(types.Count > baseLayers);

        var run = Podman.Run(repository + ":latest");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("zstd layers run", run.Output);

        using var containerd = ContainerdDaemon.Start();
        containerd.Pull(repository + ":latest", "linux/amd64");
        Assert.Contains(digest, containerd.UnpackedManifests());
    }
}
