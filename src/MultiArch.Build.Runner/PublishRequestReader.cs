using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner;

/// <summary>Translates PublishContainerImages' items and properties into the core's request, item by item (nothing is joined and re-split).</summary>
internal static class PublishRequestReader
{
    /// <summary>
    /// The container settings a task was given (repository, tags, format, registry, layers, SBOM), checked; a repository name
    /// that had to be lowered is reported through <paramref name="warn"/> (MAB3101).
    /// </summary>
    public static ContainerSettings.Checked SettingsOf(TaskRequest task, Action<TaskLogEntry> warn)
    {
        var settings = ContainerSettings.Check(task.GetString("Repository") ?? "", task.GetString("ImageTags"), task.GetString("ImageFormat"), task.GetString("Registry"),
            task.GetString("LayerStrategy"), task.GetString("AppCommandInstruction"), task.GetString("LayerCompression"),
            (task.GetBool("GenerateSbom"), task.GetString("SbomStorage"), task.GetBool("PushByDigest")));
        if (settings.RepositoryWarning is not null) warn(TaskLogEntry.Warning(ErrorCode.RepositoryNormalized, settings.RepositoryWarning));
        return settings;
    }

    public static (ContainerPublishRequest Request, IReadOnlyList<TaskLogEntry> Warnings) Read(TaskRequest task)
    {
        var warnings = new List<TaskLogEntry>();
        bool pushByDigest = task.GetBool("PushByDigest");
        var settings = SettingsOf(task, warnings.Add);

        bool generateLabels = task.GetBool("GenerateLabels");
        var metadata = ImageMetadata.Assemble(task.GetItems("GeneratedAnnotations").Select(i => (i.ItemSpec, i.GetMetadata("Value"))), Pairs(task.GetItems("Labels")),
            Pairs(task.GetItems("Annotations")), generateLabels, task.GetBool("GenerateAnnotations"));
        var files = task.GetItems("PublishedFiles");
        var request = new ContainerPublishRequest
        {
            Platforms = task.GetItems("Platforms").Select(p => ReadPlatform(p, files)).ToList(),
            Destination = new ImageDestinationSpec
            {
                Registry = Blank(task.GetString("Registry")),
                Repository = settings.Repository,
                Tags = settings.Tags,
                LayoutPath = Blank(task.GetString("LayoutPath")),
                ArchivePath = Blank(task.GetString("ArchiveOutputPath")),
                PushByDigest = pushByDigest,
            },
            BlobCacheDirectory = task.GetString("BlobCacheDirectory") ?? "",
            LayerStrategy = settings.LayerStrategy,
            LayerCompression = settings.LayerCompression,
            LayerCacheDirectory = Blank(task.GetString("LayerCacheDirectory")),
            WorkingDirectory = Blank(task.GetString("WorkingDirectory")) ?? "/app/",
            User = Blank(task.GetString("User")),
            Format = settings.Format,
            Execution = ExecutionOf(task, settings.AppCommandInstruction) with
            {
                IsSelfContained = task.GetBool("IsSelfContained"),
                AssemblyName = task.GetString("AssemblyName") ?? "",
                TargetFileName = task.GetString("TargetFileName") ?? "",
            },
            Edits = EditsOf(task.GetItems("Ports"), task.GetItems("EnvironmentVariables"), metadata.Labels, metadata.Annotations) with { Created = metadata.Created },
            IndexAnnotations = metadata.Annotations,
            GeneratedAnnotations = metadata.Generated,
            LabelBase = generateLabels,
            Sbom = settings.Sbom,
        };
        return (request, warnings);
    }

    private static PublishedPlatform ReadPlatform(TaskItemData item, IReadOnlyList<TaskItemData> files)
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
    private static Digest? PinOf(TaskItemData platform) =>
        Blank(platform.GetMetadata("BaseImageDigest")) is { } pin ? Digest.Parse(pin) : null;

    /// <summary>The start command items (Entrypoint, EntrypointArgs, AppCommand, AppCommandArgs, DefaultArgs), as the core reads them.</summary>
    public static ExecutionArgs ExecutionOf(TaskRequest task, AppCommandInstruction? instruction) => new()
    {
        Entrypoint = Values(task.GetItems("Entrypoint")),
        EntrypointArgs = Values(task.GetItems("EntrypointArgs")),
        AppCommand = Values(task.GetItems("AppCommand")),
        AppCommandArgs = Values(task.GetItems("AppCommandArgs")),
        DefaultArgs = Values(task.GetItems("DefaultArgs")),
        Instruction = instruction,
    };

    /// <summary>The config edits the items ask for: ports (<c>8080</c> with metadata Type, or <c>8080/udp</c>), variables, labels, annotations.</summary>
    public static ImageConfigEdits EditsOf(IReadOnlyList<TaskItemData> ports, IReadOnlyList<TaskItemData> environmentVariables,
        IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations) => new()
    {
        Env = environmentVariables.Select(e => (e.ItemSpec, e.GetMetadata("Value"))).ToList(),
        Labels = labels,
        Annotations = annotations,
        // The Type metadata is the SDK's way to write a protocol; the core defaults a bare number to tcp.
        Ports = ports.Select(p => p.ItemSpec.Contains('/') || Blank(p.GetMetadata("Type")) is not { } type ? p.ItemSpec : $"{p.ItemSpec}/{type}").ToList(),
    };

    private static IReadOnlyList<string> Values(IReadOnlyList<TaskItemData> items) => items.Select(i => i.ItemSpec).ToList();

    /// <summary>Items as key (Include) and metadata Value; a later item with the same key wins.</summary>
    public static Dictionary<string, string> Pairs(IReadOnlyList<TaskItemData> items)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items) result[item.ItemSpec] = item.GetMetadata("Value");
        return result;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
