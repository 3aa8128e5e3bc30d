using MultiArch.Build.Blobs;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layers;

/// <summary>
/// The same folder gives the same bytes in separate processes (different pids, temp paths and
/// start times), through the benchmark app's <c>layer</c> command.
/// </summary>
public class LayerReproducibilityTests
{
    private static readonly string BenchmarksDll = Path.Combine(AppContext.BaseDirectory, "MultiArch.Build.Benchmarks.dll");

    [Fact]
    public async Task TwoProcessesWriteIdenticalLayers()
    {
        using var folder = new ScratchFolder();
        string root = GoldenTree.Create(folder);

        var first = RunLayerCommand(root, folder.Combine("out1"), folder.Combine("tmp1"), LayerWriterOptions.DefaultMtime);
        var second = RunLayerCommand(root, folder.Combine("out2"), folder.Combine("tmp2"), LayerWriterOptions.DefaultMtime);

        Assert.Equal(first["digest"], second["digest"]);
        Assert.Equal(first["diff_id"], second["diff_id"]);
        Assert.Equal(File.ReadAllBytes(BlobPath(folder.Combine("out1"), first)), File.ReadAllBytes(BlobPath(folder.Combine("out2"), second)));

        var inProcess = await new LayerWriter(LayerGoldenTests.FixedOptions)
            .WriteAsync(LayerEntries.FromDirectory(root, "/app"), new BlobStore(folder.Combine("out3")), CancellationToken.None);
        Assert.Equal(inProcess.Descriptor.Digest.ToString(), first["digest"]);
        Assert.Equal(inProcess.DiffId.ToString(), first["diff_id"]);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zstd")]
    public void ProcessesWithOneAndEightThreadsWriteIdenticalMultiBlockLayers(string compression)
    {
        using var folder = new ScratchFolder();
        string root = MultiBlockTree.Create(folder);

        var one = RunLayerCommand(root, folder.Combine("out1"), folder.Combine("tmp1"), LayerWriterOptions.DefaultMtime, "--threads", "1", "--compression", compression);
        var eight = RunLayerCommand(root, folder.Combine("out8"), folder.Combine("tmp8"), LayerWriterOptions.DefaultMtime, "--threads", "8", "--compression", compression);

        Assert.Equal(one["digest"], eight["digest"]);
        Assert.Equal(one["diff_id"], eight["diff_id"]);
        Assert.Equal(one["bytes"], eight["bytes"]);
        Assert.Equal(File.ReadAllBytes(BlobPath(folder.Combine("out1"), one)), File.ReadAllBytes(BlobPath(folder.Combine("out8"), eight)));
    }

    [Fact]
    public void SourceDateEpochSetsEveryMtime()
    {
        using var folder = new ScratchFolder();
        string root = GoldenTree.Create(folder);
        const long epoch = 1700000000;

        var output = RunLayerCommand(root, folder.Combine("out"), folder.Combine("tmp"), epoch);
        var defaultOutput = RunLayerCommand(root, folder.Combine("out-default"), folder.Combine("tmp"), LayerWriterOptions.DefaultMtime);

        var digest = Digest.Parse(output["digest"]);
        var result = new LayerResult(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = digest }, Digest.Parse(output["diff_id"]), 0);
        var members = LayerBlob.ReadMembers(new BlobStore(folder.Combine("out")), result);
        Assert.Equal(GoldenTree.Expected.Count, members.Count);
        Assert.All(members, m => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(epoch), m.Mtime));
        Assert.NotEqual(defaultOutput["diff_id"], output["diff_id"]);
    }

    private static Dictionary<string, string> RunLayerCommand(string root, string outDir, string tempDir, long sourceDateEpoch, params string[] options)
    {
        Assert.True(File.Exists(BenchmarksDll), $"{BenchmarksDll} is missing; the test project must reference MultiArch.Build.Benchmarks.");
        Directory.CreateDirectory(tempDir);
        string stdout = ProcessRunner.RunChecked("dotnet", [BenchmarksDll, "layer", root, "--out", outDir, .. options], environment: new Dictionary<string, string?>
        {
            ["SOURCE_DATE_EPOCH"] = sourceDateEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TMPDIR"] = tempDir,
        }).Output;
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
    }

    private static string BlobPath(string outDir, Dictionary<string, string> output) =>
        new BlobStore(outDir).PathFor(Digest.Parse(output["digest"]));
}
