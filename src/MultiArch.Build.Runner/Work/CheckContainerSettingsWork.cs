using MultiArch.Build.Diagnostics;
using MultiArch.Build.Publishing;
using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner.Work;

/// <summary>CheckContainerSettings: repository, tags, format, registry, layer and SBOM settings and the container items, before anything is built.</summary>
internal sealed class CheckContainerSettingsWork : ITaskWork
{
    public Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken)
    {
        var settings = ContainerSettings.Check(request.GetString("Repository") ?? "", request.GetString("ImageTags"), request.GetString("ImageFormat"), request.GetString("Registry"),
            request.GetString("LayerStrategy"), request.GetString("AppCommandInstruction"), request.GetString("LayerCompression"),
            (request.GetBool("GenerateSbom"), request.GetString("SbomStorage"), request.GetBool("PushByDigest")));
        if (settings.RepositoryWarning is not null) result.Add(TaskLogEntry.Warning(ErrorCode.RepositoryNormalized, settings.RepositoryWarning));
        result.Properties["NormalizedRepository"] = settings.Repository;
        // The item rules the image build applies, run before anything is compiled.
        PublishRequestReader.EditsOf(request.GetItems("Ports"), request.GetItems("EnvironmentVariables"),
            PublishRequestReader.Pairs(request.GetItems("Labels")), PublishRequestReader.Pairs(request.GetItems("Annotations"))).Validate();
        PublishRequestReader.ExecutionOf(request, settings.AppCommandInstruction).Validate();
        return Task.CompletedTask;
    }
}
