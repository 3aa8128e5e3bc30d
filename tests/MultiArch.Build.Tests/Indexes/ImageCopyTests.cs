using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Indexes;
using MultiArch.Build.Layout;
using MultiArch.Build.Sbom;

namespace MultiArch.Build.Tests.Indexes;

public class ImageCopyTests
{
    [Fact]
    public async Task AnIndexIsCopiedBetweenLayoutsWithItsDigestAndEachImagesReferrers()
    {
        using var temp = new TempFolder();
        var index = await Layout.TestImages.BuildIndexAsync(new BlobStore(temp.Combine("store")), "copy");
        var sboms = index.Images.Select(i => SbomArtifacts.Referrer(System.Text.Encoding.UTF8.GetBytes($"sbom of {i.Descriptor.Digest}"), i.Descriptor, DateTimeOffset.UnixEpoch)).ToList();
        var withSboms = IndexComposer.Compose([], index.Images.Select((i, k) => IndexEntry.Of(i.WithReferrers([sboms[k]]))).ToList());
        await new OciLayoutDestination(temp.Combine("from")).WriteIndexAsync(withSboms, ["1.0"], default);

        var result = await ImageCopy.RunAsync($"oci:{temp.Combine("from")}:1.0", $"oci-archive:{temp.Combine("to.tar")}", NullBuildLog.Instance, null, default);

        Assert.Equal(withSboms.Descriptor.Digest, result.Copied.Digest);
        Assert.Equal(2, result.Images);
        using var copied = await LayoutImageSource.OpenAsync($"oci:{temp.Combine("to.tar")}:1.0", default);
        Assert.Equal(withSboms.Descriptor.Digest, (await copied.TryGetTopAsync(default))!.Digest);
        for (int k = 0; k < sboms.Count; k++)
        {
            var referrers = await copied.GetReferrersAsync(index.Images[k].Descriptor.Digest, default);
            Assert.Equal(sboms[k].Descriptor.Digest, Assert.Single(referrers).Digest);
        }
        await Layout.LayoutAssert.CompleteAsync(Assert.IsType<OciLayoutReader>(copied.Blobs).Root);
    }

    [Fact]
    public async Task NothingToCopyIsACodedError()
    {
        using var temp = new TempFolder();
        var image = await Layout.TestImages.BuildAsync(new BlobStore(temp.Combine("store")), Layout.TestImages.Amd64, "x");
        await new OciLayoutDestination(temp.Combine("from")).WriteImageAsync(image, ["x"], default);

        var error = await Assert.ThrowsAsync<MabException>(() => ImageCopy.RunAsync($"oci:{temp.Combine("from")}:y", $"oci:{temp.Combine("to")}", NullBuildLog.Instance, null, default));

        Assert.Equal(ErrorCode.CopySourceNotFound, error.Code);
        Assert.False(Directory.Exists(temp.Combine("to")));
    }
}
