using MultiArch.Build.Diagnostics;
using System.Globalization;
using Task = System.Threading.Tasks.Task;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MultiArch.Build.Indexes;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tasks;

public sealed partial class CreateContainerIndex : AsyncTask
{
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var metadata = ImageMetadata.Assemble(GeneratedAnnotations.Select(i => (i.ItemSpec, i.GetMetadata("Value"))), new Dictionary<string, string>(),
            Annotations.ToDictionary(a => a.ItemSpec, a => a.GetMetadata("Value"), StringComparer.Ordinal), generateLabels: false, GenerateAnnotations);
        var settings = ContainerSettings.Check(Repository, ImageTags, format: null, Registry);
        if (settings.RepositoryWarning is not null) LogCodedWarning(ErrorCode.RepositoryNormalized, settings.RepositoryWarning);
        var request = new ContainerIndexRequest
        {
            Sources = Sources ?? "",
            Registry = Registry ?? "",
            Repository = settings.Repository,
            Tags = settings.Tags,
            Append = Append,
            Annotations = metadata.Annotations,
            GeneratedAnnotations = metadata.Generated,
        };
        var result = await ContainerIndexing.RunAsync(request, new MSBuildLog(Log), InsecureRegistries, cancellationToken).ConfigureAwait(false);

        IndexDigest = result.Index.Digest.ToString();
        Manifests = result.Manifests.Select(entry =>
        {
            var item = new TaskItem(entry.Digest.ToString());
            item.SetMetadata("Platform", entry.Platform?.ToString() ?? "");
            item.SetMetadata("MediaType", entry.MediaType);
            item.SetMetadata("Size", entry.Size.ToString(CultureInfo.InvariantCulture));
            item.SetMetadata("Attestation", Attestations.IsAttestation(entry) ? "true" : "false");
            return (ITaskItem)item;
        }).ToArray();
        foreach (var line in result.Summary()) Log.LogMessage(MessageImportance.High, line);
    }
}
