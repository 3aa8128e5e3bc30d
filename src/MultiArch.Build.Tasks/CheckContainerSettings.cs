using MultiArch.Build.Diagnostics;
using MultiArch.Build.Publishing;
using Task = System.Threading.Tasks.Task;

namespace MultiArch.Build.Tasks;

public sealed partial class CheckContainerSettings : AsyncTask
{
    protected override Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var settings = ContainerSettings.Check(Repository, ImageTags, ImageFormat, Registry, LayerStrategy, AppCommandInstruction, LayerCompression,
            (GenerateSbom, SbomStorage, PushByDigest));
        if (settings.RepositoryWarning is not null) LogCodedWarning(ErrorCode.RepositoryNormalized, settings.RepositoryWarning);
        NormalizedRepository = settings.Repository;
        // The item rules the image build applies, run before anything is compiled.
        PublishRequestReader.EditsOf(Ports, EnvironmentVariables, PublishRequestReader.Pairs(Labels), PublishRequestReader.Pairs(Annotations)).Validate();
        PublishRequestReader.ExecutionOf(Entrypoint, EntrypointArgs, AppCommand, AppCommandArgs, DefaultArgs, settings.AppCommandInstruction).Validate();
        return Task.CompletedTask;
    }
}
