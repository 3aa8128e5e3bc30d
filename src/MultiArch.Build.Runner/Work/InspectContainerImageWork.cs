using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Indexes;
using MultiArch.Build.Registry;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner.Work;

/// <summary>InspectContainerImage: the digest and media type of what a reference names and each platform's manifest (or the raw JSON).</summary>
internal sealed class InspectContainerImageWork : ITaskWork
{
    public async Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken)
    {
        string? image = request.GetString("Image");
        if (string.IsNullOrWhiteSpace(image))
            throw new MabException(ErrorCode.InspectNoImage, "InspectContainerImage needs an image: pass -p:ContainerImage=<registry>/<repository>:<tag> (or @sha256:<digest>).");
        var (reference, lowered) = ImageReferenceInput.Parse(image.Trim());
        if (lowered is not null) result.Add(TaskLogEntry.Warning(ErrorCode.RepositoryNormalized, lowered));
        using var clients = RegistryClients.ForBuild(request.GetString("InsecureRegistries"), new ResultBuildLog(result), reference.Registry);

        var inspected = await ImageInspector.InspectAsync(new ImageSourceReader(new RegistryImageSource(clients.Pull, reference)), cancellationToken).ConfigureAwait(false);
        result.Properties["Digest"] = inspected.Digest.ToString();
        result.Properties["MediaType"] = inspected.MediaType;
        var lines = request.GetBool("Raw") ? [InspectionReport.Raw(inspected)] : InspectionReport.Format(inspected);
        foreach (var line in lines) result.Add(TaskLogEntry.Message(TaskLogImportance.High, line));
    }
}
