using Microsoft.Build.Framework;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tasks;

/// <summary>Translates the task's items and properties into the core's request, item by item (nothing is joined and re-split).</summary>
internal static class PublishRequestReader
{
    public sealed record Warning(string Code, string Message);

    public static (ContainerPublishRequest Request, IReadOnlyList<Warning> Warnings) Read(PublishContainerImages task)
    {
        var warnings = new List<Warning>();
        var settings = ContainerSettings.Check(task.Repository, task.ImageTags, task.ImageFormat, task.Registry, task.LayerStrategy, task.AppCommandInstruction, task.LayerCompression,
            (task.GenerateSbom, task.SbomStorage, task.PushByDigest));
        if (settings.RepositoryWarning is not null) warnings.Add(new(ErrorCode.RepositoryNormalized, settings.RepositoryWarning));

        var metadata = ImageMetadata.Assemble(task.GeneratedAnnotations.Select(i => (i.ItemSpec, i.GetMetadata("Value"))), Pairs(task.Labels), Pairs(task.Annotations),
            task.GenerateLabels, task.GenerateAnnotations);
        var request = new ContainerPublishRequest
        {
            Platforms = task.Platforms.Select(p => ReadPlatform(p, task.PublishedFiles)).ToList(),
            Destination = new ImageDestinationSpec
            {
                Registry = Blank(task.Registry),
                Repository = settings.Repository,
                Tags = settings.Tags,
                LayoutPath = Blank(task.LayoutPath),
                ArchivePath = Blank(task.ArchiveOutputPath),
                PushByDigest = task.PushByDigest,
            },
            BlobCacheDirectory = task.BlobCacheDirectory,
            LayerStrategy = settings.LayerStrategy,
            LayerCompression = settings.LayerCompression,
            LayerCacheDirectory = Blank(task.LayerCacheDirectory),
            WorkingDirectory = task.WorkingDirectory,
            User = Blank(task.User),
            Format = settings.Format,
            Execution = ExecutionOf(task.Entrypoint, task.EntrypointArgs, task.AppCommand, task.AppCommandArgs, task.DefaultArgs, settings.AppCommandInstruction) with
            {
                IsSelfContained = task.IsSelfContained,
                AssemblyName = task.AssemblyName,
                TargetFileName = task.TargetFileName,
            },
            Edits = EditsOf(task.Ports, task.EnvironmentVariables, metadata.Labels, metadata.Annotations) with { Created = metadata.Created },
            IndexAnnotations = metadata.Annotations,
            GeneratedAnnotations = metadata.Generated,
            LabelBase = task.GenerateLabels,
            Sbom = settings.Sbom,
        };
        return (request, warnings);
    }

    private static PublishedPlatform ReadPlatform(ITaskItem item, ITaskItem[] files)
    {
        var target = new PlatformTarget(PlatformParser.Parse(item.ItemSpec), item.GetMetadata("RuntimeIdentifier"));
        var mine = files.Where(f => f.GetMetadata("ContainerPlatform") == item.ItemSpec).ToList();
        if (mine.Count == 0)
            throw new MabException(ErrorCode.PublishedFileMissing, $"The publish for {item.ItemSpec} reported no files. Check that the app publishes for RuntimeIdentifier {target.RuntimeIdentifier}.");
        string publishDir = mine[0].GetMetadata("PublishDir");
        var published = mine.Select(f => new PublishedFile(f.ItemSpec, f.GetMetadata("RelativePath"), Blank(f.GetMetadata("NuGetPackageId")), Blank(f.GetMetadata("AssetType")),
            string.Equals(f.GetMetadata("RuntimePackAsset"), "true", StringComparison.OrdinalIgnoreCase))).ToList();
        return new PublishedPlatform(target, item.GetMetadata("BaseImage"), publishDir, published)
        {
            BaseImageDigest = PinOf(item),
            ProjectAssetsFile = Blank(mine[0].GetMetadata("ProjectAssetsFile")),
            TargetFramework = Blank(mine[0].GetMetadata("TargetFramework")),
        };
    }

    /// <summary>The digest ResolveContainerBaseImages pinned the base to (metadata BaseImageDigest), if it ran.</summary>
    private static Digest? PinOf(ITaskItem platform) =>
        Blank(platform.GetMetadata("BaseImageDigest")) is { } pin ? Digest.Parse(pin) : null;

    /// <summary>The start command items, as the core reads them.</summary>
    public static ExecutionArgs ExecutionOf(ITaskItem[] entrypoint, ITaskItem[] entrypointArgs, ITaskItem[] appCommand, ITaskItem[] appCommandArgs,
        ITaskItem[] defaultArgs, AppCommandInstruction? instruction) => new()
    {
        Entrypoint = Values(entrypoint),
        EntrypointArgs = Values(entrypointArgs),
        AppCommand = Values(appCommand),
        AppCommandArgs = Values(appCommandArgs),
        DefaultArgs = Values(defaultArgs),
        Instruction = instruction,
    };

    /// <summary>The config edits the items ask for: ports (<c>8080</c> with metadata Type, or <c>8080/udp</c>), variables, labels, annotations.</summary>
    public static ImageConfigEdits EditsOf(ITaskItem[] ports, ITaskItem[] environmentVariables, IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations) => new()
    {
        Env = environmentVariables.Select(e => (e.ItemSpec, e.GetMetadata("Value"))).ToList(),
        Labels = labels,
        Annotations = annotations,
        // The Type metadata is the SDK's way to write a protocol; the core defaults a bare number to tcp.
        Ports = ports.Select(p => p.ItemSpec.Contains('/') || Blank(p.GetMetadata("Type")) is not { } type ? p.ItemSpec : $"{p.ItemSpec}/{type}").ToList(),
    };

    private static IReadOnlyList<string> Values(ITaskItem[] items) => items.Select(i => i.ItemSpec).ToList();

    public static Dictionary<string, string> Pairs(ITaskItem[] items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items) result[item.ItemSpec] = item.GetMetadata("Value");
        return result;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
