using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace MultiArch.Build.Tool;

/// <summary>The `multiarch` command line: its verbs, the options they share, help that lists the exit codes, and exit code 2 for a usage error.</summary>
internal static class MultiarchCommand
{
    public static RootCommand Create()
    {
        var options = new GlobalOptions();
        var root = new RootCommand(
            "Inspect, copy, merge and append multi-platform OCI images in any registry or OCI layout, with no Docker daemon and no project file. " +
            "Credentials come from MULTIARCH_REGISTRY_USERNAME/MULTIARCH_REGISTRY_PASSWORD, the SDK's DOTNET_CONTAINER_REGISTRY_UNAME/PWORD, " +
            "and docker or podman logins, never from the command line.")
        {
            options.InsecureRegistries,
            options.Verbosity,
        };
        root.Subcommands.Add(InspectCommand.Create(options));
        root.Subcommands.Add(IndexCommand.Create(options));
        root.Subcommands.Add(CopyCommand.Create(options));
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction action) help.Action = new HelpWithExitCodes(action);
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null)
    {
        configuration ??= new InvocationConfiguration();
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction errors)
        {
            // Errors and typo suggestions all go to stderr: stdout carries only results.
            errors.ShowHelp = false;
            parse.Invoke(new InvocationConfiguration { Output = configuration.Error, Error = configuration.Error });
            configuration.Error.WriteLine($"Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(configuration).ConfigureAwait(false);
    }

    /// <summary>"multiarch index create" for the command the user was typing.</summary>
    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "multiarch" : result.Command.Name);
        return string.Join(' ', names);
    }
}

/// <summary>The standard help, then the exit codes, on every verb.</summary>
internal sealed class HelpWithExitCodes(HelpAction help) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        int code = help.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine("Exit codes:");
        foreach (var (exitCode, meaning) in ExitCodes.Described()) output.WriteLine($"  {exitCode,-5}{meaning}");
        return code;
    }
}
