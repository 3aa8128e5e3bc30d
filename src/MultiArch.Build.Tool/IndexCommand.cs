using MultiArch.Build.Registry;
using System.CommandLine;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Indexes;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tool;

/// <summary>
/// `multiarch index create|append --tag REF SOURCE...`: the CreateContainerIndex target from a shell, through the
/// same core call, so a merge composes its index with the same rules and codes (MAB4xxx) either way.
/// </summary>
internal static class IndexCommand
{
    public static Command Create(GlobalOptions options)
    {
        var command = new Command("index", "Make or extend a multi-platform image index from images already in registries (the merge step of a CI fan-out).");
        command.Subcommands.Add(Verb(options, "create", append: false,
            "Make one index from SOURCE images and tag it. Each platform is read from its image's config; a SOURCE that is an index adds all its images. Prints the index, its entries and references, and the index digest alone on the last line of stdout."));
        command.Subcommands.Add(Verb(options, "append", append: true,
            "Add SOURCE images to the index the first --tag names: a SOURCE replaces the entry of its platform, every other platform stays. Makes the index if the tag does not exist yet. Prints like create."));
        return command;
    }

    private static Command Verb(GlobalOptions options, string name, bool append, string description)
    {
        var tags = new Option<string[]>("--tag", "-t")
        {
            Description = append
                ? "The index to add to, and where the result goes: registry/repository:tag. Repeat to tag the result more than once (same repository); the first is read."
                : "Where the index goes: registry/repository:tag. Repeat for more tags; every --tag names the same repository.",
            HelpName = "REF",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var annotations = new Option<string[]>("--annotation", "-a")
        {
            Description = "An annotation for the index, key=value; repeat for several. They go over the generated org.opencontainers.image.created (SOURCE_DATE_EPOCH, else the Unix epoch).",
            HelpName = "KEY=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var sources = new Argument<string[]>("SOURCE")
        {
            Description = "Images to put in the index: registry/repository@sha256:..., registry/repository:tag, oci:<layout folder>[:<ref>], or a bare sha256:... for an image in the --tag repository.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command(name, description) { tags, annotations, sources };
        command.Validators.Add(result =>
        {
            if (IndexTarget.Problem(result.GetValue(tags) ?? []) is { } problem) result.AddError(problem);
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (string annotation in result.GetValue(annotations) ?? [])
            {
                if (!TrySplitAnnotation(annotation, out string key, out _))
                    result.AddError($"--annotation '{annotation}' is not key=value with a non-empty key.");
                else if (!keys.Add(key))
                    result.AddError($"--annotation '{key}' is given twice; give each key once.");
            }
        });
        command.SetAction(new VerbAction(options, $"index {name}", (context, ct) =>
        {
            var parse = context.Parse;
            return RunAsync(context, parse.GetValue(tags)!, parse.GetValue(annotations) ?? [], parse.GetValue(sources)!, append, ct);
        }).RunAsync);
        return command;
    }

    private static async Task RunAsync(ToolContext context, string[] tagReferences, string[] annotations, string[] sources, bool append, CancellationToken cancellationToken)
    {
        void Warn(string message) => context.Log.Warning(ErrorCode.RepositoryNormalized, message);
        var target = IndexTarget.From(tagReferences, Warn);
        // No project here, so of the generated annotations only created is known; the rest come with --annotation.
        var metadata = ImageMetadata.Assemble([], new Dictionary<string, string>(),
            annotations.Select(Split).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal), generateLabels: false, generateAnnotations: true);
        var settings = ContainerSettings.Check(target.Repository, string.Join(' ', target.Tags), format: null, target.Registry);
        var request = new ContainerIndexRequest
        {
            Sources = string.Join(' ', sources.Select(source => SourceText(source, Warn))),
            Registry = target.Registry,
            Repository = settings.Repository,
            Tags = settings.Tags,
            Append = append,
            Annotations = metadata.Annotations,
            GeneratedAnnotations = metadata.Generated,
        };
        var result = await ContainerIndexing.RunAsync(request, context.Log, context.InsecureRegistries, cancellationToken).ConfigureAwait(false);

        if (context.Log.Verbosity > Verbosity.Quiet)
        {
            foreach (string line in result.Summary()) await context.ResultAsync(line).ConfigureAwait(false);
        }
        await context.ResultAsync(result.Index.Digest.ToString()).ConfigureAwait(false);
    }

    /// <summary>
    /// A source as the core reads it: as written when the core accepts it (a digest, a reference, whatever else it
    /// reads), else with its repository lowered like the tags' when that is all it lacks.
    /// </summary>
    private static string SourceText(string source, Action<string> warn)
    {
        if (ImageReferenceInput.TryParse(source) is not { Warning: { } warning } parsed) return source;
        warn(warning);
        return parsed.Reference.ToString();
    }

    private static KeyValuePair<string, string> Split(string annotation) =>
        TrySplitAnnotation(annotation, out string key, out string value) ? new(key, value) : throw new ArgumentException(annotation);

    private static bool TrySplitAnnotation(string annotation, out string key, out string value)
    {
        int equals = annotation.IndexOf('=');
        key = equals > 0 ? annotation[..equals].Trim() : "";
        value = equals > 0 ? annotation[(equals + 1)..] : "";
        return key.Length > 0;
    }
}
