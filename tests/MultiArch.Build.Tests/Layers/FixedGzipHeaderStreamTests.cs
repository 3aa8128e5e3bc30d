using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

public class FixedGzipHeaderStreamTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(1)]
    [InlineData(3)]
    public void RewritesTheOsByteWhateverTheWriteSizes(int chunk)
    {
        // A header as a Windows build of zlib writes it (OS 10), then some deflate bytes.
        byte[] input = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 10, 0xAA, 0xBB, 0xCC];
        var output = new MemoryStream();
        using (var stream = new FixedGzipHeaderStream(output))
        {
            for (int i = 0; i < input.Length; i += chunk)
                stream.Write(input, i, Math.Min(chunk, input.Length - i));
        }

        Assert.Equal(new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xAA, 0xBB, 0xCC }, output.ToArray());
    }

    [Fact]
    public void RefusesAHeaderWithAnMtimeOrName()
    {
        using var stream = new FixedGzipHeaderStream(new MemoryStream());
        Assert.Throws<InvalidOperationException>(() => stream.Write([0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 3]));
    }
}
