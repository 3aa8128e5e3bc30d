using MultiArch.Build.Blobs;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layout;

/// <summary>
/// Each tagged index.json entry of a layout or archive names the image the way podman load and ctr import
/// read it (io.containerd.image.name) beside the tag (org.opencontainers.image.ref.name).
/// </summary>
public class LoadedImageNameTests
{
    private static Dictionary<string, string>[] EntryAnnotations(ImageIndex index) =>
        index.Manifests.Select(m => new Dictionary<string, string>(m.Annotations ?? new StringMap())).ToArray();

    private static Dictionary<string, string> Named(string tag, string name) => new()
    {
        ["org.opencontainers.image.ref.name"] = tag,
        ["io.containerd.image.name"] = name,
    };

    [Fact]
    public void ALocalNameIsTheRepositoryUnderLocalhost()
    {
        Assert.Equal("localhost/team/app", LoadedImageName.For("team/app"));
        Assert.Equal("localhost/app", LoadedImageName.For(" /app/ "));
        Assert.Null(LoadedImageName.For(""));
        Assert.Null(LoadedImageName.For(null));
        Assert.Equal("localhost/app:1.0", LoadedImageName.WithTag("localhost/app", "1.0"));
    }

    [Fact]
    public async Task EveryTagOfALayoutGetsTheFullName()
    {
        using var temp = new TempFolder();
        var store = new BlobStore(temp.Combine("store"));
        string layout = temp.Combine("layout");
        var destination = new OciLayoutDestination(layout, "localhost/team/app");

        await destination.WriteIndexAsync(await TestImages.BuildIndexAsync(store, "one"), ["1.0", "latest"], default);
        var untagged = await TestImages.BuildAsync(store, TestImages.Amd64, "untagged");
        await destination.WriteImageAsync(untagged, [], default);

        var index = OciJson.DeserializeIndex(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        Assert.Equal([Named("1.0", "localhost/team/app:1.0"), Named("latest", "localhost/team/app:latest"), []], EntryAnnotations(index));
        // Names are not part of the image: skopeo reads the same index under the tag.
        var raw = ProcessRunner.RunChecked("skopeo", "inspect", "--raw", $"oci:{layout}:latest");
        Assert.Equal(index.Manifests[1].Digest, Digest.Compute(System.Text.Encoding.UTF8.GetBytes(raw.Output)));
        ExternalTool.ValidateLayout(layout);
    }

    [Fact]
    public async Task ARepublishUnderAnotherRepositoryRenamesTheTagItWrites()
    {
        using var temp = new TempFolder();
        var store = new BlobStore(temp.Combine("store"));
        string layout = temp.Combine("layout");
        await new OciLayoutDestination(layout, "localhost/old").WriteImageAsync(await TestImages.BuildAsync(store, TestImages.Amd64, "a"), ["a", "b"], default);

        await new OciLayoutDestination(layout, "localhost/new").WriteImageAsync(await TestImages.BuildAsync(store, TestImages.Amd64, "b"), ["b"], default);

        var index = OciJson.DeserializeIndex(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        Assert.Equal([Named("a", "localhost/old:a"), Named("b", "localhost/new:b")], EntryAnnotations(index));
    }

    [Fact]
    public async Task AnArchiveNamesItsImageToo()
    {
        using var temp = new TempFolder();
        string archive = temp.Combine("image.tar");

        await new OciArchiveDestination(archive, "localhost/app").WriteIndexAsync(await TestImages.BuildIndexAsync(new BlobStore(temp.Combine("store")), "tar"), ["1.0"], default);

        using var reader = await OciLayoutReader.OpenAsync(archive);
        Assert.Equal([Named("1.0", "localhost/app:1.0")], EntryAnnotations(reader.Index));
    }

    [Fact]
    public async Task WithoutANameOnlyTheTagIsWritten()
    {
        using var temp = new TempFolder();
        string layout = temp.Combine("layout");

        await new OciLayoutDestination(layout).WriteImageAsync(await TestImages.BuildAsync(new BlobStore(temp.Combine("store")), TestImages.Amd64, "x"), ["x"], default);

        var index = OciJson.DeserializeIndex(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        Assert.Equal([new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "x" }], EntryAnnotations(index));
    }
}
