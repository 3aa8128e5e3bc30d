using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Publishing;

/// <summary>
/// The summary a publish prints as one message (MSBuild's <c>App -> …</c> output line, the one line of a project that the
/// terminal logger shows): the table's lines, the later ones indented under the first.
/// </summary>
public class PublishSummaryTests
{
    [Fact]
    public void TheBlockIsTheTableWithEveryLineAfterTheFirstUnderIt()
    {
        var index = Descriptor.For(MediaTypes.OciIndex, "{}"u8.ToArray());
        var result = new ContainerPublishResult(index,
            [new PlatformImageResult("linux/amd64", "linux-x64", Descriptor.For(MediaTypes.OciManifest, "{}"u8.ToArray()), "base", 3, 5 * 1024 * 1024)],
            ["127.0.0.1:5000/app@" + index.Digest, "127.0.0.1:5000/app:1.0"], 3 * 1024 * 1024, 2 * 1024 * 1024);
        var destination = new ImageDestinationSpec { Registry = "127.0.0.1:5000", Repository = "app", Tags = ["1.0"] };

        var lines = PublishSummary.Block(result, destination).Split(Environment.NewLine);

        Assert.Equal("Container images for 127.0.0.1:5000/app:", lines[0]);
        Assert.Equal(PublishSummary.Format(result, destination).Skip(1).Select(line => "  " + line), lines.Skip(1));
        Assert.Contains($"    index {index.Digest}", lines);
        Assert.Contains("    uploaded 3.0 MiB, already present 2.0 MiB", lines);
        Assert.Equal("    -> 127.0.0.1:5000/app:1.0", lines[^1]);
    }
}
