using System.CommandLine;

namespace MultiArch.Build.Tool;

/// <summary>The options every verb takes (recursive on the root command, so they go before or after the verb).</summary>
internal sealed class GlobalOptions
{
    public Option<string[]> InsecureRegistries { get; } = new("--insecure-registry")
    {
        Description = "A registry (host or host:port) to reach over plain HTTP; repeat for several. Loopback registries and those in DOTNET_CONTAINER_INSECURE_REGISTRIES always are, as with ContainerInsecureRegistries.",
        HelpName = "HOST",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string> Verbosity { get; } = new Option<string>("--verbosity", "-v")
    {
        Description = "How much to print on stderr: quiet (warnings and errors), normal, or detailed.",
        HelpName = "LEVEL",
        Recursive = true,
        DefaultValueFactory = _ => "normal",
    }.AcceptOnlyFromAmong(Verbosities.Names);

    /// <summary>The insecure registries as the core reads them (a list separated by spaces, which no host name holds).</summary>
    public string InsecureRegistryList(ParseResult parse) => string.Join(' ', parse.GetValue(InsecureRegistries) ?? []);
}
