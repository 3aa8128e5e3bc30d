using System.CommandLine;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Indexes;
using MultiArch.Build.Layout;
using MultiArch.Build.Registry;
using MultiArch.Build.Sources;

namespace MultiArch.Build.Tool;

/// <summary>`multiarch inspect REF [--raw]`: what the InspectContainerImage target prints, from a shell.</summary>
internal static class InspectCommand
{
    public static Command Create(GlobalOptions options)
    {
        var reference = new Argument<string>("REF")
        {
            Description = "The image: registry/repository[:tag][@sha256:...], or oci:<layout folder>[:<ref>] / oci-archive:<file.tar>[:<ref>]. Capital letters in the repository are lowered (warning MAB3101), as publish does.",
        };
        var raw = new Option<bool>("--raw")
        {
            Description = "Print the manifest or index exactly as the registry serves it, with nothing added: its sha256 is the digest.",
        };
        var command = new Command("inspect", "Show what a reference names: its digest and media type, then each platform's manifest digest, size and layer count. Reads no layer.")
        {
            reference,
            raw,
        };
        command.SetAction(new VerbAction(options, "inspect", (context, ct) =>
            InspectAsync(context, context.Parse.GetValue(reference)!, context.Parse.GetValue(raw), ct)).RunAsync);
        return command;
    }

    private static async Task InspectAsync(ToolContext context, string text, bool raw, CancellationToken cancellationToken)
    {
        string typed = CopyCommand.Typed(context, text);
        // The registry inspected is the one MULTIARCH_REGISTRY_* credentials are for, as in the package's inspect.
        string? registry = LayoutImageSource.Handles(typed) ? null : ImageReference.Parse(typed).Registry;
        using var clients = RegistryClients.ForBuild(context.InsecureRegistries, context.Log, registry);
        using var sources = new ImageSources(clients.Pull);
        var image = await ImageInspector.InspectAsync(await sources.OpenAsync(typed, pin: null, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (raw)
        {
            context.Log.EndProgress();
            await WriteBytesAsync(context.Output, image.Bytes, cancellationToken).ConfigureAwait(false);
            return;
        }
        foreach (string line in InspectionReport.Format(image)) await context.ResultAsync(line).ConfigureAwait(false);
    }

    /// <summary>The document's own bytes on stdout; through a writer only when stdout is not the console (a test's writer).</summary>
    private static async Task WriteBytesAsync(TextWriter output, byte[] bytes, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(output, Console.Out))
        {
            await output.WriteAsync(System.Text.Encoding.UTF8.GetString(bytes)).ConfigureAwait(false);
            return;
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        using var stdout = Console.OpenStandardOutput();
        await stdout.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }
}
