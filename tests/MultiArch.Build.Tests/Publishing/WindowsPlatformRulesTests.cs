using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;
using MultiArch.Build.Tests.Images;

namespace MultiArch.Build.Tests.Publishing;

/// <summary>The rules a Windows platform follows besides its layers: working directory, start command, base inference, which platforms go together, and appends.</summary>
public class WindowsPlatformRulesTests
{
    [Theory]
    [InlineData("windows", "/app/", @"C:\app\", "/Files/app")]
    [InlineData("windows", @"C:\app\", @"C:\app\", "/Files/app")]
    [InlineData("windows", @"c:\srv\my app", @"C:\srv\my app\", "/Files/srv/my app")]
    [InlineData("windows", "/", @"C:\", "/Files")]
    [InlineData("linux", "/app/", "/app/", "/app")]
    [InlineData("linux", "/srv/my app", "/srv/my app", "/srv/my app")]
    [InlineData("linux", @"C:\app\", "/app/", "/app")]
    public void TheWorkingDirectoryIsSpelledForEachOS(string os, string configured, string config, string layerRoot)
    {
        var directory = ImageWorkingDirectory.For(os, configured);

        Assert.Equal((config, layerRoot, os == "windows"), (directory.Config, directory.LayerRoot, directory.IsWindows));
    }

    [Fact]
    public void AWindowsWorkingDirectoryOnAnotherDriveIsRefused() =>
        Assert.Equal(ErrorCode.LayerInvalidImagePath, Assert.Throws<MabException>(() => ImageWorkingDirectory.For("windows", @"D:\app\")).Code);

    [Fact]
    public void AFrameworkDependentWindowsAppStartsWithDotnetExe()
    {
        var args = new ExecutionArgs { AssemblyName = "App", TargetFileName = "App.dll" };

        Assert.Equal(["dotnet.exe", @"C:\app\App.dll"], args.ProcessFor("windows", @"C:\app\", null).Entrypoint);
        Assert.Equal(["dotnet", "/app/App.dll"], args.ProcessFor("linux", "/app/", null).Entrypoint);
    }

    [Theory]
    [InlineData("dotnet.exe")]
    [InlineData(@"C:\Program Files\dotnet\dotnet.exe")]
    public void ABaseEntrypointOfTheDotnetHostIsNotKeptOnWindows(string host)
    {
        var args = new ExecutionArgs { AssemblyName = "App", TargetFileName = "App.dll", Instruction = AppCommandInstruction.DefaultArgs };

        var (entrypoint, cmd) = args.ProcessFor("windows", @"C:\app\", [host]);

        Assert.Empty(entrypoint);
        Assert.Equal(["dotnet.exe", @"C:\app\App.dll"], cmd);
    }

    [Fact]
    public void ASelfContainedWindowsAppIsInferredOnTheRuntimeImageWhichHasWindowsImages()
    {
        var bases = PlatformBases.Choose(PlatformSpec.ParseList("linux-x64;win-x64"), [], "linux-x64;win-x64", null, AppKind.SelfContained, "10.0", null, null);

        Assert.Equal(["mcr.microsoft.com/dotnet/runtime-deps:10.0", "mcr.microsoft.com/dotnet/runtime:10.0"], bases.Select(b => b.BaseImage));
    }

    [Theory]
    [InlineData("windows(10.0.17763)/amd64;windows(10.0.20348)/amd64", "win-x64 alone")]
    [InlineData("win-x64;windows(10.0.20348)/amd64", "win-x64 alone")]
    [InlineData("linux/amd64;linux/amd64/v3", "Keep one")]
    public void TwoPlatformsPublishedAsOneRuntimeIdentifierAreRefused(string platforms, string advice)
    {
        var error = Assert.Throws<MabException>(() => PlatformSpec.ParseList(platforms));

        Assert.Equal(ErrorCode.DuplicatePlatform, error.Code);
        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinuxAndWindowsPlatformsGoTogether() =>
        Assert.Equal(3, PlatformSpec.ParseList("linux-x64;linux-arm64;win-x64").Count);

    [Fact]
    public void AnAppendedWindowsImageReplacesOnlyTheEntryOfItsOwnVersion()
    {
        var linux = Image(new Platform { OS = "linux", Architecture = "amd64" }, "linux");
        var older = Image(Windows("10.0.17763.5458"), "old 17763");
        var newer = Image(Windows("10.0.20348.2340"), "old 20348");
        var existing = IndexComposer.Compose([], [IndexEntry.Of(linux), IndexEntry.Of(older), IndexEntry.Of(newer)]);
        var replacement = Image(Windows("10.0.20348.2340"), "new 20348");

        var appended = IndexComposer.Compose(existing.Index.Manifests.Select(d => new IndexEntry(d, null)).ToList(), [IndexEntry.Of(replacement)]);

        Assert.Equal([linux.Descriptor.Digest, older.Descriptor.Digest, replacement.Descriptor.Digest], appended.Index.Manifests.Select(m => m.Digest));
        Assert.Equal(["", "10.0.17763.5458", "10.0.20348.2340"], appended.Index.Manifests.Select(m => m.Platform!.OSVersion ?? ""));
    }

    [Fact]
    public void TwoWindowsImagesOfDifferentVersionsAreNoDuplicatePlatform()
    {
        var index = IndexComposer.Compose([], [IndexEntry.Of(Image(Windows("10.0.17763.5458"), "a")), IndexEntry.Of(Image(Windows("10.0.20348.2340"), "b"))]);

        Assert.Equal(2, index.Index.Manifests.Count);
    }

    private static Platform Windows(string version) => new() { OS = "windows", Architecture = "amd64", OSVersion = version };

    private static ImageArtifact Image(Platform platform, string text) =>
        ImageBuilder.Build(TestBases.Scratch(platform, ImageFormat.Oci), [TestBases.Layer(new MemoryBlobSource(), text)], new ImageConfigEdits());
}
