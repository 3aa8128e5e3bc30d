using Task = System.Threading.Tasks.Task;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tasks;

public sealed partial class PublishContainerImages : AsyncTask
{
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var request = PublishRequestReader.Read(this);
        foreach (var warning in request.Warnings) LogCodedWarning(warning.Code, warning.Message);

        var result = await ContainerPublishing.RunAsync(request.Request, new MSBuildLog(Log), InsecureRegistries, cancellationToken).ConfigureAwait(false);

        if (!string.IsNullOrWhiteSpace(MetadataFile)) PublishMetadataFile.Write(MetadataFile, result);
        IndexDigest = result.Index?.Digest.ToString();
        Images = result.Images.Select(image =>
        {
            var item = new TaskItem(image.Platform);
            item.SetMetadata("ManifestDigest", image.Manifest.Digest.ToString());
            item.SetMetadata("RuntimeIdentifier", image.RuntimeIdentifier);
            item.SetMetadata("Size", image.Manifest.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return (ITaskItem)item;
        }).ToArray();
        Summary = PublishSummary.Block(result, request.Request.Destination);
    }
}
