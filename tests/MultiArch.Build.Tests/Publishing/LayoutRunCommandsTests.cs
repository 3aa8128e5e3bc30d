using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Publishing;

/// <summary>
/// A publish into a layout directory prints commands that run the image with podman, because podman
/// cannot take the printed oci: reference under bin/Release/ (see <see cref="LayoutRunCommands"/>).
/// </summary>
public class LayoutRunCommandsTests
{
    private static ContainerPublishResult Result(params string[] references) => new(
        Descriptor.For(MediaTypes.OciIndex, "{}"u8.ToArray()),
        [new PlatformImageResult("linux/amd64", "linux-x64", Descriptor.For(MediaTypes.OciManifest, "{}"u8.ToArray()), "base", 1, 10)],
        references, 0, 0);

    private static readonly ImageDestinationSpec Layout = new() { Repository = "team/app", Tags = ["1.0", "latest"], LayoutPath = "/src/App/bin/Release/net10.0/container-image/" };

    [Fact]
    public void ALayoutPrintsACopyIntoPodmansStorageAndARunOfTheLoadedName()
    {
        var result = Result("oci:/src/App/bin/Release/net10.0/container-image:1.0", "oci:/src/App/bin/Release/net10.0/container-image:latest");

        var lines = PublishSummary.Format(result, Layout).ToList();

        Assert.Equal(
        [
            "  -> oci:/src/App/bin/Release/net10.0/container-image:1.0",
            "  -> oci:/src/App/bin/Release/net10.0/container-image:latest",
            "  run it with podman:",
            "    skopeo copy oci:/src/App/bin/Release/net10.0/container-image:1.0 containers-storage:localhost/team/app:1.0",
            "    podman run --rm localhost/team/app:1.0",
        ], lines.TakeLast(5));
    }

    [Fact]
    public void RegistriesArchivesAndUntaggedImagesPrintNoCommands()
    {
        var registry = new ImageDestinationSpec { Registry = "127.0.0.1:5000", Repository = "app" };
        var archive = new ImageDestinationSpec { Repository = "app", ArchivePath = "/out/app.tar" };
        var byDigest = Layout with { PushByDigest = true };
        var result = Result("somewhere");

        foreach (var destination in new[] { registry, archive, byDigest })
            Assert.Empty(LayoutRunCommands.For(result, destination));
    }

    [Theory]
    [InlineData("oci:/home/me/My App/bin/Release/net10.0/container-image:latest")]
    [InlineData("oci:/home/it's/x:latest")]
    [InlineData("plain-word_1.0:x@y")]
    public void PathsComeBackWholeThroughAShell(string word)
    {
        // What a shell makes of the quoted word is the word itself.
        var echoed = ProcessRunner.RunChecked("bash", "-c", "printf '%s' " + LayoutRunCommands.ShellQuote(word));
        Assert.Equal(word, echoed.Output);
    }
}
