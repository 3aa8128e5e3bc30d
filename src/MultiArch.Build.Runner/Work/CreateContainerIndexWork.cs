using System.Globalization;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Indexes;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner.Work;

/// <summary>CreateContainerIndex: one index from images already in registries, tagged; outputs IndexDigest and one Manifests item per entry.</summary>
internal sealed class CreateContainerIndexWork : ITaskWork
{
    public async Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken)
    {
        var metadata = ImageMetadata.Assemble(request.GetItems("GeneratedAnnotations").Select(i => (i.ItemSpec, i.GetMetadata("Value"))), new Dictionary<string, string>(),
            PublishRequestReader.Pairs(request.GetItems("Annotations")), generateLabels: false, request.GetBool("GenerateAnnotations"));
        string? registry = request.GetString("Registry");
        var settings = ContainerSettings.Check(request.GetString("Repository") ?? "", request.GetString("ImageTags"), format: null, registry);
        if (settings.RepositoryWarning is not null) result.Add(TaskLogEntry.Warning(ErrorCode.RepositoryNormalized, settings.RepositoryWarning));
        var index = new ContainerIndexRequest
        {
            Sources = request.GetString("Sources") ?? "",
            Registry = registry ?? "",
            Repository = settings.Repository,
            Tags = settings.Tags,
            Append = request.GetBool("Append"),
            Annotations = metadata.Annotations,
            GeneratedAnnotations = metadata.Generated,
        };
        var created = await ContainerIndexing.RunAsync(index, new ResultBuildLog(result), request.GetString("InsecureRegistries"), cancellationToken).ConfigureAwait(false);

        result.Properties["IndexDigest"] = created.Index.Digest.ToString();
        result.Items["Manifests"] = created.Manifests.Select(entry => new TaskItemData(entry.Digest.ToString())
            .With("Platform", entry.Platform?.ToString() ?? "")
            .With("MediaType", entry.MediaType)
            .With("Size", entry.Size.ToString(CultureInfo.InvariantCulture))
            .With("Attestation", Attestations.IsAttestation(entry) ? "true" : "false")).ToList();
        foreach (var line in created.Summary()) result.Add(TaskLogEntry.Message(TaskLogImportance.High, line));
    }
}
