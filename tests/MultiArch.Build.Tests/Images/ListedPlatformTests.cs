using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Images;

/// <summary>
/// What the base index lists a base under and the base config lacks goes into the new config, so an index
/// merged from configs (push by digest, then CreateContainerIndex) says what a one-shot publish says.
/// </summary>
public class ListedPlatformTests
{
    private static BaseImage BaseWith(Action<ImageConfig> editConfig, Platform listed)
    {
        var baseImage = TestBases.Make(ImageFormat.Oci, new MemoryBlobSource(), listed);
        editConfig(baseImage.Config);
        return baseImage;
    }

    private static ImageConfig ConfigOf(ImageArtifact image)
    {
        var blob = image.Blobs[0];
        using var stream = blob.Source.OpenReadAsync(blob.Descriptor, default).Result;
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return OciJson.DeserializeConfig(bytes.ToArray());
    }

    [Fact]
    public void TheListedVariantGoesIntoAConfigThatHasNone()
    {
        var listed = new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" };
        var baseImage = BaseWith(c => { c.Variant = null; c.OSVersion = null; }, listed);

        var image = ImageBuilder.Build(baseImage, [], new ImageConfigEdits());

        var config = ConfigOf(image);
        Assert.Equal("v8", config.Variant);
        Assert.Null(config.OSVersion);
        Assert.Equal(image.Descriptor.Platform, config.ToPlatform());
        // The base config itself is not changed: it is shared by every build on that base.
        Assert.Null(baseImage.Config.Variant);
    }

    [Fact]
    public void TheListedOsVersionAndFeaturesGoIntoTheConfig()
    {
        var listed = new Platform { OS = "windows", Architecture = "amd64", OSVersion = "10.0.20348.2340", OSFeatures = ["win32k"] };
        var baseImage = BaseWith(c => { c.OS = "windows"; c.Architecture = "amd64"; c.Variant = null; c.OSVersion = null; c.OSFeatures = null; }, listed);

        var config = ConfigOf(ImageBuilder.Build(baseImage, [], new ImageConfigEdits()));

        Assert.Equal("10.0.20348.2340", config.OSVersion);
        Assert.Equal(["win32k"], config.OSFeatures);
        Assert.Null(config.Variant);
    }

    [Fact]
    public void WhatTheConfigSaysIsKept()
    {
        var listed = new Platform { OS = "linux", Architecture = "arm", Variant = "v7", OSVersion = "listed" };
        var baseImage = BaseWith(c => { c.Architecture = "arm"; c.Variant = "v6"; c.OSVersion = null; }, listed);

        var config = ConfigOf(ImageBuilder.Build(baseImage, [], new ImageConfigEdits()));

        Assert.Equal("v6", config.Variant);
        Assert.Equal("listed", config.OSVersion);
    }

    [Fact]
    public void AnEntryForAnotherArchitectureAddsNothing()
    {
        // A base index that lists an amd64 config under arm64/v8 is broken; the config stays as the image is.
        var listed = new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" };
        var baseImage = BaseWith(c => { c.Architecture = "amd64"; c.Variant = null; c.OSVersion = null; }, listed);

        var config = ConfigOf(ImageBuilder.Build(baseImage, [], new ImageConfigEdits()));

        Assert.Equal("amd64", config.Architecture);
        Assert.Null(config.Variant);
    }

    [Fact]
    public void ArchitectureSpellingsAreComparedNormalized()
    {
        var listed = new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" };
        var baseImage = BaseWith(c => { c.Architecture = "aarch64"; c.Variant = null; c.OSVersion = null; }, listed);

        var config = ConfigOf(ImageBuilder.Build(baseImage, [], new ImageConfigEdits()));

        Assert.Equal("aarch64", config.Architecture);
        Assert.Equal("v8", config.Variant);
    }

    [Fact]
    public void AConfigWithNoPlatformTakesTheListedOne()
    {
        var listed = new Platform { OS = "linux", Architecture = "arm64", Variant = "v8" };
        var baseImage = BaseWith(c => { c.OS = ""; c.Architecture = ""; c.Variant = null; c.OSVersion = null; }, listed);

        var config = ConfigOf(ImageBuilder.Build(baseImage, [], new ImageConfigEdits()));

        Assert.Equal(listed, config.ToPlatform());
    }
}
