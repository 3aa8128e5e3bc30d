using System.Text.Json;

namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// The CI fan-out end to end against a real registry: each architecture pushed by digest in its own
/// publish, merged with `dotnet msbuild -t:CreateContainerIndex`, compared with a one-shot publish,
/// appended to, inspected, and its tags and annotations read back with skopeo and containerd.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class IndexToolingTests(SdkFixture fixture)
{
    private const string Program = """Console.WriteLine("index tooling");""";
    private static readonly Dictionary<string, string?> NoEnvironment = new();

    [Fact]
    public void PushByDigestThenMergeAppendAndInspect()
    {
        using var app = new AppProject(fixture, "FanOut", AppProject.ConsoleProperties(), Program);
        string repository = $"{fixture.Registry}/e2e/fanout";
        // A base whose arm64 config lacks the variant its index entry names: the merge reads configs, the one-shot the base index.
        var baseImage = VariantlessBaseLayout.Make(fixture.RuntimeBase, Path.Combine(Path.GetDirectoryName(app.Directory)!, "base"));

        // One "runner" per architecture; arm64 pushes into a repository of its own, so the merge has to mount across.
        var amd64 = PushByDigest(app, "linux-x64", "e2e/fanout", baseImage.Reference);
        var arm64 = PushByDigest(app, "linux-arm64", "e2e/fanout-arm64", baseImage.Reference);
        Assert.Equal("linux/amd64", amd64.Platform);
        Assert.Equal("linux/arm64/v8", arm64.Platform);
        Assert.Empty(Skopeo.Tags(repository) ?? []);
        Assert.Empty(Skopeo.Tags($"{fixture.Registry}/e2e/fanout-arm64") ?? []);
        Assert.Equal(amd64.Digest, Skopeo.DigestOf(Skopeo.InspectRawBytes($"{repository}@{amd64.Digest}")));

        // Merge: sources separated by white space (as a shell passes them), one a bare digest of the target repository.
        var merge = app.MSBuild("CreateContainerIndex", new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" },
            $"ContainerIndexSources={amd64.Digest} {fixture.Registry}/e2e/fanout-arm64@{arm64.Digest}",
            $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/fanout", "ContainerSemVerTags=true", "Version=1.2.3+build.9");
        Assert.True(merge.ExitCode == 0, merge.All);

        Assert.Equal(["1", "1.2", "1.2.3", "latest"], (Skopeo.Tags(repository) ?? []).Order(StringComparer.Ordinal));
        byte[] indexBytes = Skopeo.InspectRawBytes(repository + ":1.2.3");
        Assert.Equal(indexBytes, Skopeo.InspectRawBytes(repository + ":latest"));
        var index = JsonDocument.Parse(indexBytes).RootElement;
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], index.GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf));
        Assert.Equal([amd64.Digest, arm64.Digest], index.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()));
        var annotations = index.GetProperty("annotations");
        Assert.Equal("2023-11-14T22:13:20Z", annotations.GetProperty("org.opencontainers.image.created").GetString());
        Assert.Equal("1.2.3+build.9", annotations.GetProperty("org.opencontainers.image.version").GetString());
        // The arm64 image was mounted into the target repository: its manifest and config are readable there.
        Assert.Equal("arm64", Skopeo.Config($"{repository}@{arm64.Digest}").GetProperty("architecture").GetString());
        Assert.Contains(Skopeo.DigestOf(indexBytes), merge.Output);

        AssertMergeIsTheOneShotIndex(app, baseImage, amd64, arm64);
        AssertAppendReplacesThePlatformContainerdPicks(app, baseImage, repository + ":oneshot");

        // Append: a new index of amd64 alone, then arm64 appended; appending amd64 again keeps arm64.
        Assert.Equal(0, app.MSBuild("CreateContainerIndex", NoEnvironment, $"ContainerIndexSources={amd64.Digest}",
            $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/fanout", "ContainerImageTags=grow").ExitCode);
        Assert.Equal(["linux/amd64"], Platforms(repository + ":grow"));
        var append = app.MSBuild("CreateContainerIndex", NoEnvironment, $"ContainerIndexSources={fixture.Registry}/e2e/fanout-arm64@{arm64.Digest}",
            $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/fanout", "ContainerImageTags=grow", "ContainerIndexAppend=true");
        Assert.True(append.ExitCode == 0, append.All);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], Platforms(repository + ":grow"));
        Assert.Equal(0, app.MSBuild("CreateContainerIndex", NoEnvironment, $"ContainerIndexSources={amd64.Digest}",
            $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/fanout", "ContainerImageTags=grow", "ContainerIndexAppend=true").ExitCode);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], Platforms(repository + ":grow"));

        // Inspect: the index digest and media type, then each platform's manifest digest, size and layer count.
        var inspect = app.MSBuild("InspectContainerImage", NoEnvironment, $"ContainerImage={repository}:1.2.3");
        Assert.True(inspect.ExitCode == 0, inspect.All);
        Assert.Contains("Digest:    " + Skopeo.DigestOf(indexBytes), inspect.Output);
        Assert.Contains("MediaType: application/vnd.oci.image.index.v1+json", inspect.Output);
        foreach (var (image, platform) in new[] { (amd64, "linux/amd64"), (arm64, "linux/arm64/v8") })
        {
            var manifest = Skopeo.InspectRaw($"{repository}@{image.Digest}");
            long size = Skopeo.InspectRawBytes($"{repository}@{image.Digest}").Length;
            int layers = Skopeo.LayerDigests(manifest).Count;
            var line = inspect.Output.Split('\n').Single(l => l.Contains(image.Digest, StringComparison.Ordinal));
            Assert.Equal([platform, image.Digest, size.ToString(), layers.ToString()], line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        var raw = app.MSBuild("InspectContainerImage", NoEnvironment, $"ContainerImage={repository}:1.2.3", "ContainerInspectRaw=true");
        Assert.True(raw.ExitCode == 0, raw.All);
        Assert.Contains(System.Text.Encoding.UTF8.GetString(indexBytes), raw.Output);

        var missing = app.MSBuild("InspectContainerImage", NoEnvironment, $"ContainerImage={repository}:no-such-tag");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("MAB4020", missing.Output);
    }

    [Fact]
    public void PublishWritesOciAnnotationsAndLabelsThatNameTheBase()
    {
        string body = AppProject.ConsoleProperties("""
            <Version>1.3.0-rc.1</Version>
            <SourceRevisionId>5114f85aa0c1</SourceRevisionId>
            <RepositoryUrl>https://example.com/team/app.git</RepositoryUrl>
            <Description>Annotated: app</Description>
            <PackageLicenseExpression>MIT</PackageLicenseExpression>
            """) + """
            <ItemGroup>
              <ContainerAnnotation Include="com.example.team" Value="core;infra" />
            </ItemGroup>
            """;
        using var app = new AppProject(fixture, "Annotated", body, Program);
        string repository = $"{fixture.Registry}/e2e/annotated";
        var publish = app.Publish(new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" },
            "ContainerPlatforms=linux-x64", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/annotated",
            $"ContainerBaseImage={fixture.RuntimeBase}", "ContainerSemVerTags=true", "UseAppHost=false");
        Assert.True(publish.ExitCode == 0, publish.All);

        // A prerelease gets only its own tag.
        Assert.Equal(["1.3.0-rc.1"], Skopeo.Tags(repository));
        byte[] baseIndexBytes = Skopeo.InspectRawBytes(fixture.RuntimeBase);
        string baseAmd64 = Skopeo.DigestFor(fixture.RuntimeBase, "linux/amd64");

        var index = Skopeo.InspectRaw(repository + ":1.3.0-rc.1");
        var expected = new Dictionary<string, string>
        {
            ["org.opencontainers.image.created"] = "2023-11-14T22:13:20Z",
            ["org.opencontainers.image.version"] = "1.3.0-rc.1",
            ["org.opencontainers.image.revision"] = "5114f85aa0c1",
            ["org.opencontainers.image.source"] = "https://example.com/team/app.git",
            ["org.opencontainers.image.title"] = "Annotated",
            ["org.opencontainers.image.description"] = "Annotated: app",
            ["org.opencontainers.image.licenses"] = "MIT",
            ["org.opencontainers.image.base.name"] = fixture.RuntimeBase,
            ["com.example.team"] = "core;infra",
        };
        AssertContains(expected, index.GetProperty("annotations"));
        Assert.Equal(Skopeo.DigestOf(baseIndexBytes), index.GetProperty("annotations").GetProperty("org.opencontainers.image.base.digest").GetString());

        string child = index.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        var manifestAnnotations = Skopeo.InspectRaw($"{repository}@{child}").GetProperty("annotations");
        AssertContains(expected, manifestAnnotations);
        Assert.Equal(baseAmd64, manifestAnnotations.GetProperty("org.opencontainers.image.base.digest").GetString());

        // The config's labels carry the same values, whole (no cut at ':').
        var config = Skopeo.Config($"{repository}@{child}");
        Assert.Equal("2023-11-14T22:13:20Z", config.GetProperty("created").GetString());
        var labels = config.GetProperty("config").GetProperty("Labels");
        AssertContains(expected.Where(e => e.Key.StartsWith("org.", StringComparison.Ordinal)).ToDictionary(), labels);
        Assert.Equal(baseAmd64, labels.GetProperty("org.opencontainers.image.base.digest").GetString());
    }

    [Fact]
    public void ADockerImageGetsLabelsButNoAnnotationsAndCannotBeMergedWithAnOciImage()
    {
        using var app = new AppProject(fixture, "DockerFormat", AppProject.ConsoleProperties("<Version>4.5.6</Version>"), Program);
        var docker = PushByDigest(app, "linux-x64", "e2e/docker-format", extra: "ContainerImageFormat=Docker");
        string reference = $"{fixture.Registry}/e2e/docker-format@{docker.Digest}";

        var manifest = Skopeo.InspectRaw(reference);
        Assert.Equal("application/vnd.docker.distribution.manifest.v2+json", manifest.GetProperty("mediaType").GetString());
        Assert.False(manifest.TryGetProperty("annotations", out _));
        Assert.Equal("4.5.6", Skopeo.Config(reference).GetProperty("config").GetProperty("Labels").GetProperty("org.opencontainers.image.version").GetString());

        // The seeded base's arm64 image is OCI: one index cannot hold both families.
        var merge = app.MSBuild("CreateContainerIndex", NoEnvironment,
            $"ContainerIndexSources={docker.Digest} {Skopeo.ImageFor(fixture.RuntimeBase, "linux/arm64/v8")}",
            $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/docker-format", "ContainerImageTags=mixed");
        Assert.NotEqual(0, merge.ExitCode);
        Assert.Contains("MAB1307", merge.Output);
        Assert.Empty(Skopeo.Tags($"{fixture.Registry}/e2e/docker-format") ?? []);
    }

    /// <summary>
    /// One truth for a platform: a one-shot publish of both platforms gives the very images pushed by digest,
    /// and merging those gives the one-shot's index byte for byte (same generated annotations; a layout base adds no base.* ones).
    /// </summary>
    private void AssertMergeIsTheOneShotIndex(AppProject app, VariantlessBaseLayout baseImage, PushedImage amd64, PushedImage arm64)
    {
        string repository = $"{fixture.Registry}/e2e/fanout";
        var oneShot = app.Publish("ContainerPlatforms=\"linux-x64;linux-arm64\"", $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/fanout",
            $"ContainerBaseImage={baseImage.Reference}", "ContainerImageTags=oneshot", "UseAppHost=false");
        Assert.True(oneShot.ExitCode == 0, oneShot.All);
        var merge = app.MSBuild("CreateContainerIndex", NoEnvironment, $"ContainerIndexSources={amd64.Digest} {fixture.Registry}/e2e/fanout-arm64@{arm64.Digest}",
            $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/fanout", "ContainerImageTags=merged");
        Assert.True(merge.ExitCode == 0, merge.All);

        byte[] oneShotIndex = Skopeo.InspectRawBytes(repository + ":oneshot");
        var entries = JsonDocument.Parse(oneShotIndex).RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal([amd64.Digest, arm64.Digest], entries.Select(m => m.GetProperty("digest").GetString()));
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], entries.Select(Skopeo.PlatformOf));
        Assert.Equal("v8", Skopeo.Config($"{repository}@{arm64.Digest}").GetProperty("variant").GetString());
        Assert.Equal(Skopeo.DigestOf(oneShotIndex), Skopeo.DigestOf(Skopeo.InspectRawBytes(repository + ":merged")));
    }

    /// <summary>
    /// Appending an arm64 image whose config says linux/arm64 to an index that lists linux/arm64/v8 replaces
    /// that entry (twice in a row gives the same index), so containerd, which takes the first of equal
    /// matches, pulls the new image.
    /// </summary>
    private void AssertAppendReplacesThePlatformContainerdPicks(AppProject app, VariantlessBaseLayout baseImage, string index)
    {
        string source = $"{fixture.Registry}/e2e/fanout-base@{baseImage.Arm64Digest}";
        ProcessRunner.RunChecked("skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false", $"oci:{baseImage.Path}:arm64", $"docker://{fixture.Registry}/e2e/fanout-base:arm64");
        string before = Skopeo.DigestOf(Skopeo.InspectRawBytes(index));
        var digests = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            var append = app.MSBuild("CreateContainerIndex", NoEnvironment, $"ContainerIndexSources={source}",
                $"ContainerRegistry={fixture.Registry}", "ContainerRepository=e2e/fanout", "ContainerImageTags=oneshot", "ContainerIndexAppend=true");
            Assert.True(append.ExitCode == 0, append.All);
            digests.Add(Skopeo.DigestOf(Skopeo.InspectRawBytes(index)));
        }
        Assert.NotEqual(before, digests[0]);
        Assert.Equal(digests[0], digests[1]);
        var entries = Skopeo.InspectRaw(index).GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(["linux/amd64", "linux/arm64"], entries.Select(Skopeo.PlatformOf));
        Assert.Equal(baseImage.Arm64Digest, entries[1].GetProperty("digest").GetString());

        using var containerd = ContainerdDaemon.Start();
        containerd.Pull(index, "linux/arm64");
        Assert.Equal([baseImage.Arm64Digest], containerd.UnpackedManifests());
    }

    private sealed record PushedImage(string Platform, string Digest);

    private PushedImage PushByDigest(AppProject app, string rid, string repository, string? baseImage = null, params string[] extra)
    {
        string metadata = Path.Combine(app.Directory, $"{rid}.json");
        var publish = app.Publish([$"ContainerPlatforms={rid}", $"ContainerRegistry={fixture.Registry}", $"ContainerRepository={repository}",
            $"ContainerBaseImage={baseImage ?? fixture.RuntimeBase}", "ContainerPushByDigest=true", "UseAppHost=false", $"ContainerMetadataFile={metadata}", .. extra]);
        Assert.True(publish.ExitCode == 0, publish.All);
        var meta = JsonDocument.Parse(File.ReadAllBytes(metadata)).RootElement;
        Assert.False(meta.TryGetProperty("indexDigest", out _));
        var manifest = Assert.Single(meta.GetProperty("manifests").EnumerateArray().ToList());
        var pushed = new PushedImage(manifest.GetProperty("platform").GetString()!, manifest.GetProperty("digest").GetString()!);
        Assert.Equal([$"{fixture.Registry}/{repository}@{pushed.Digest}"], meta.GetProperty("references").EnumerateArray().Select(r => r.GetString()));
        return pushed;
    }

    private static IReadOnlyList<string> Platforms(string reference) =>
        Skopeo.InspectRaw(reference).GetProperty("manifests").EnumerateArray().Select(Skopeo.PlatformOf).ToList();

    private static void AssertContains(IReadOnlyDictionary<string, string> expected, JsonElement actual)
    {
        foreach (var (key, value) in expected)
            Assert.True(actual.TryGetProperty(key, out var found) && found.GetString() == value, $"{key}: expected '{value}', found {(actual.TryGetProperty(key, out var f) ? f.ToString() : "nothing")}");
    }
}
