namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// samples/ci's two workflows, every job and step in order with the run: scripts taken from the yml, in a fresh
/// user repository that takes MultiArch.Build and MultiArch.Build.Tool from a feed, pushing to a registry that
/// demands the workflow's GITHUB_TOKEN, for a github.repository with capitals (build/ci-samples.sh, which checks
/// the images with skopeo). The fixture's registry serves the base images and its packed package is the user's.
/// </summary>
[Collection(SdkCollection.Name)]
public sealed class CiSamplesTests(SdkFixture fixture)
{
    [Fact]
    public void BothWorkflowsRunEveryStepAndTagATwoPlatformIndex()
    {
        var result = ProcessRunner.Run("bash", [Path.Combine(fixture.RepositoryRoot, "build", "ci-samples.sh")], fixture.RepositoryRoot,
            new Dictionary<string, string?>
            {
                ["BASE_REGISTRY"] = fixture.Registry,
                ["PACKAGE_FEED"] = fixture.PackageFeed,
                ["PACKAGE_VERSION"] = fixture.PackageVersion,
            },
            TimeSpan.FromMinutes(10));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("github-actions.yml: every step passed", result.Output);
        Assert.Contains("github-actions-matrix.yml: every step passed", result.Output);
        Assert.Contains("Both CI samples ran every step and pushed what they should.", result.Output);
    }
}
