using Task = System.Threading.Tasks.Task;
using Microsoft.Build.Framework;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Indexes;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Tasks;

public sealed partial class InspectContainerImage : AsyncTask
{
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Image))
            throw new MabException(ErrorCode.InspectNoImage, "InspectContainerImage needs an image: pass -p:ContainerImage=<registry>/<repository>:<tag> (or @sha256:<digest>).");
        var (reference, lowered) = ImageReferenceInput.Parse(Image.Trim());
        if (lowered is not null) LogCodedWarning(ErrorCode.RepositoryNormalized, lowered);
        using var clients = RegistryClients.ForBuild(InsecureRegistries, new MSBuildLog(Log), reference.Registry);

        var image = await ImageInspector.InspectAsync(new ImageSourceReader(new RegistryImageSource(clients.Pull, reference)), cancellationToken).ConfigureAwait(false);
        Digest = image.Digest.ToString();
        MediaType = image.MediaType;
        var lines = Raw ? [InspectionReport.Raw(image)] : InspectionReport.Format(image);
        foreach (var line in lines) Log.LogMessage(MessageImportance.High, line);
    }
}
