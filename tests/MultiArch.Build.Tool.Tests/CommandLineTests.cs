using System.CommandLine;

namespace MultiArch.Build.Tool.Tests;

/// <summary>The command line in process: usage errors exit 2 before anything is read or sent.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("inspect")]
    [InlineData("index")]
    [InlineData("index create reg.example/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("index create --tag reg.example/app:1")]
    [InlineData("index create --tag reg.example/app reg.example/src:1")]
    [InlineData("index append --tag reg.example/app:1 --tag reg.example/other:1 reg.example/src:1")]
    [InlineData("index create --tag reg.example/app:1 --annotation novalue reg.example/src:1")]
    [InlineData("index create --tag reg.example/app:1 -a k=1 -a k=2 reg.example/src:1")]
    [InlineData("inspect reg.example/app:1 -v loud")]
    [InlineData("inspect reg.example/app:1 --password secret")]
    [InlineData("move a b")]
    public async Task AUsageErrorExitsTwoWithAHint(string arguments)
    {
        var (code, output, error) = await RunAsync(arguments);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Contains("--help' for usage.", error);
    }

    [Fact]
    public async Task TheUsageHintNamesTheVerbBeingTyped()
    {
        var (_, _, error) = await RunAsync("index append --tag reg.example/app reg.example/src:1");

        Assert.Contains("has no tag", error);
        Assert.Contains("Run 'multiarch index append --help' for usage.", error);
    }

    [Fact]
    public async Task OptionsSharedByEveryVerbGoBeforeOrAfterIt()
    {
        var (before, _, _) = await RunAsync("-v quiet --insecure-registry reg.example index create --help");
        var (after, output, _) = await RunAsync("index create --tag reg.example/app:1 reg.example/src:1 --insecure-registry a.example --insecure-registry b.example -v detailed --help");

        Assert.Equal(0, before);
        Assert.Equal(0, after);
        Assert.Contains("--insecure-registry <HOST>", output);
    }

    [Fact]
    public void InsecureRegistriesReachTheCoreAsItsListOfHosts()
    {
        var options = new GlobalOptions();
        var root = new RootCommand { options.InsecureRegistries };

        var parse = root.Parse(["--insecure-registry", "reg.example:5000", "--insecure-registry", "other.example"]);

        Assert.Equal(["reg.example:5000", "other.example"], MultiArch.Build.Registry.RegistryOptions.ParseRegistryList(options.InsecureRegistryList(parse)));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await MultiarchCommand.RunAsync(arguments.Split(' '), new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
