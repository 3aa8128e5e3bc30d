using System.CommandLine;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Indexes;
using MultiArch.Build.Layout;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Tool;

/// <summary>`multiarch copy SRC DST`: an index with all its platforms, or one image, between registries, OCI layouts and archives, digests kept.</summary>
internal static class CopyCommand
{
    public static Command Create(GlobalOptions options)
    {
        var source = new Argument<string>("SRC")
        {
            Description = "What to copy: registry/repository[:tag][@sha256:...], oci:<layout folder>[:<ref>] or oci-archive:<file.tar>[:<ref>]. An index is copied with every image it lists.",
        };
        var destination = new Argument<string>("DST")
        {
            Description = "Where it goes: registry/repository[:tag], oci:<layout folder>[:<ref>] or oci-archive:<file.tar>[:<ref>]. Without a tag or ref, the source's is kept (else latest).",
        };
        var command = new Command("copy", "Copy an image or a multi-platform index, byte for byte, so every digest stays: registry to registry (blobs are mounted within one registry), registry to OCI layout or archive, and back. Prints the references written and the digest alone on the last line of stdout.")
        {
            source,
            destination,
        };
        command.SetAction(new VerbAction(options, "copy", (context, ct) =>
            CopyAsync(context, context.Parse.GetValue(source)!, context.Parse.GetValue(destination)!, ct)).RunAsync);
        return command;
    }

    private static async Task CopyAsync(ToolContext context, string source, string destination, CancellationToken cancellationToken)
    {
        var result = await ImageCopy.RunAsync(Typed(context, source), Typed(context, destination), context.Log, context.InsecureRegistries, cancellationToken).ConfigureAwait(false);
        if (context.Log.Verbosity > Verbosity.Quiet)
        {
            await context.ResultAsync($"Copied {result.Copied.Digest} ({result.Images} image(s)): {result.Written.BytesWritten} bytes written, {result.Written.BytesSkipped} already there").ConfigureAwait(false);
            foreach (string reference in result.Written.References) await context.ResultAsync(reference).ConfigureAwait(false);
        }
        await context.ResultAsync(result.Copied.Digest.ToString()).ConfigureAwait(false);
    }

    /// <summary>A registry reference with its repository lowered like everywhere else (warning MAB3101); layouts as written.</summary>
    internal static string Typed(ToolContext context, string text)
    {
        if (LayoutImageSource.Handles(text)) return text;
        var (reference, warning) = ImageReferenceInput.Parse(text);
        if (warning is not null) context.Log.Warning(ErrorCode.RepositoryNormalized, warning);
        return reference.ToString();
    }
}
