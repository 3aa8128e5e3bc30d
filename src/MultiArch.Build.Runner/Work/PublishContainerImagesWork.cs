using System.Globalization;
using MultiArch.Build.Publishing;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner.Work;

/// <summary>PublishContainerImages: every platform's image, the index, and the destination; outputs Images, IndexDigest and the Summary block.</summary>
internal sealed class PublishContainerImagesWork : ITaskWork
{
    public async Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken)
    {
        var publish = PublishRequestReader.Read(request);
        foreach (var warning in publish.Warnings) result.Add(warning);

        var published = await ContainerPublishing.RunAsync(publish.Request, new ResultBuildLog(result), request.GetString("InsecureRegistries"), cancellationToken).ConfigureAwait(false);

        string? metadataFile = request.GetString("MetadataFile");
        if (!string.IsNullOrWhiteSpace(metadataFile)) PublishMetadataFile.Write(metadataFile, published);
        result.Properties["IndexDigest"] = published.Index?.Digest.ToString();
        result.Items["Images"] = published.Images.Select(image => new TaskItemData(image.Platform)
            .With("ManifestDigest", image.Manifest.Digest.ToString())
            .With("RuntimeIdentifier", image.RuntimeIdentifier)
            .With("Size", image.Manifest.Size.ToString(CultureInfo.InvariantCulture))).ToList();
        result.Properties["Summary"] = PublishSummary.Block(published, publish.Request.Destination);
    }
}
