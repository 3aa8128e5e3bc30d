using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layers;

public class LayerWriterOptionsTests
{
    [Theory]
    [InlineData(null, 946684800)]
    [InlineData("", 946684800)]
    [InlineData("0", 0)]
    [InlineData("1700000000", 1700000000)]
    [InlineData(" 1700000000\n", 1700000000)]
    public void SourceDateEpochIsReadAsSeconds(string? value, long expected) =>
        Assert.Equal(expected, SourceDateEpoch.Parse(value) ?? LayerWriterOptions.DefaultMtime);

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("8589934592")]
    public void AnUnusableSourceDateEpochIsACodedError(string value)
    {
        var error = Assert.Throws<MabException>(() => SourceDateEpoch.Parse(value));
        Assert.Equal(ErrorCode.LayerInvalidMtime, error.Code);
        Assert.Contains("SOURCE_DATE_EPOCH", error.Message);
    }

    [Fact]
    public void TheDefaultMtimeIsTheStartOf2000Utc()
    {
        Assert.Equal(LayerWriterOptions.DefaultMtime, new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());
        var defaults = new LayerWriterOptions { Mtime = LayerWriterOptions.DefaultMtime };
        Assert.Equal((0, 0, System.IO.Compression.CompressionLevel.Optimal, MediaTypes.OciLayerGzip),
            (defaults.Uid, defaults.Gid, defaults.CompressionLevel, defaults.MediaType));
    }
}
