using MultiArch.Build.Tasks.Contract;

namespace MultiArch.Build.Runner.Work;

/// <summary>CheckContainerSettings: repository, tags, format, registry, layer and SBOM settings and the container items, before anything is built.</summary>
internal sealed class CheckContainerSettingsWork : ITaskWork
{
    public Task RunAsync(TaskRequest request, TaskResult result, CancellationToken cancellationToken)
    {
        var settings = PublishRequestReader.SettingsOf(request, result.Add);
        result.Properties["NormalizedRepository"] = settings.Repository;
        // The item rules the image build applies, run before anything is compiled.
        PublishRequestReader.EditsOf(request.GetItems("Ports"), request.GetItems("EnvironmentVariables"),
            PublishRequestReader.Pairs(request.GetItems("Labels")), PublishRequestReader.Pairs(request.GetItems("Annotations"))).Validate();
        PublishRequestReader.ExecutionOf(request, settings.AppCommandInstruction).Validate();
        return Task.CompletedTask;
    }
}
