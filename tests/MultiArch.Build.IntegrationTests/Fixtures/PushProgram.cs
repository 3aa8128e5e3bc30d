using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// The program <see cref="PushTool"/> runs in a process of its own: it pushes
/// <see cref="TinyImages.TwoPlatforms"/> of a seed to a reference with a client made the way a build
/// makes it (the process environment, the default HTTP handler), and prints the references pushed.
/// Only a fresh process tests what .NET reads from the environment once per process: the proxy
/// (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) and the trusted certificates (SSL_CERT_FILE).
/// </summary>
public static class PushProgram
{
    /// <summary>Args: <c>registry/repository:tag seed</c>. Exit code 0 when pushed, 1 with <c>MABnnnn: message</c> on stderr when not.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var target, var seedText] || !int.TryParse(seedText, out int seed))
        {
            Console.Error.WriteLine("usage: <registry/repository:tag> <seed>");
            return 2;
        }
        var reference = ImageReference.Parse(target);
        using var images = new TinyImages();
        var index = images.TwoPlatforms(seed);
        // Two tries, so a failure the test expects shows at once instead of after the retry waits.
        using var client = new RegistryClient(new RegistryOptions
        {
            TargetRegistries = [reference.Registry],
            MaxAttempts = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(100),
            Log = new ConsoleLog(),
        });
        try
        {
            var result = await new RegistryDestination(client, reference).WriteIndexAsync(index, [reference.Tag ?? "latest"], CancellationToken.None);
            foreach (string pushed in result.References) Console.WriteLine(pushed);
            return 0;
        }
        catch (MabException error)
        {
            Console.Error.WriteLine(error.ToString());
            return 1;
        }
    }

    private sealed class ConsoleLog : IBuildLog
    {
        public void Write(BuildLogLevel level, string message)
        {
            if (level != BuildLogLevel.Debug) Console.Error.WriteLine(message);
        }
    }
}
