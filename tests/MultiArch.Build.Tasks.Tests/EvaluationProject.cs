using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks.Tests;

/// <summary>
/// A throw-away SDK project that imports the package's build/ files straight from the test output, the
/// way NuGet would import them from the package, with the tasks assembly next to the tests.
/// </summary>
internal sealed class EvaluationProject : IDisposable
{
    private readonly string _directory;
    private readonly ProjectCollection _collection;

    public EvaluationProject(string body, string sdk = "Microsoft.NET.Sdk", IDictionary<string, string>? globalProperties = null)
    {
        _directory = Path.Combine(Path.GetTempPath(), "mab-eval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        string buildDir = Path.Combine(AppContext.BaseDirectory, "package-build");
        string tasks = Path.Combine(AppContext.BaseDirectory, "MultiArch.Build.Tasks.dll");
        // The package's props are imported before the project body and its targets after, as NuGet does.
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.props"),
            $"""<Project><PropertyGroup><MultiArchBuildTasksAssembly>{tasks}</MultiArchBuildTasksAssembly></PropertyGroup><Import Project="{buildDir}/MultiArch.Build.props" /></Project>""");
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.targets"),
            $"""<Project><Import Project="{buildDir}/MultiArch.Build.targets" /></Project>""");
        ProjectPath = Path.Combine(_directory, "App.csproj");
        File.WriteAllText(ProjectPath, $"""<Project Sdk="{sdk}">{body}</Project>""");
        _collection = new ProjectCollection(globalProperties ?? new Dictionary<string, string>());
        Project = _collection.LoadProject(ProjectPath);
    }

    public string ProjectPath { get; }
    public Project Project { get; }

    public string Property(string name) => Project.GetPropertyValue(name);

    /// <summary>Runs targets on a fresh instance and returns it with the errors and warnings logged.</summary>
    public (bool Success, ProjectInstance Instance, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) Run(params string[] targets)
    {
        var instance = Project.CreateProjectInstance();
        var logger = new CollectingLogger();
        bool ok = instance.Build(targets, [logger]);
        return (ok, instance, logger.Errors, logger.Warnings);
    }

    public void Dispose()
    {
        _collection.UnloadAllProjects();
        _collection.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private sealed class CollectingLogger : ILogger
    {
        public List<string> Errors { get; } = [];
        public List<string> Warnings { get; } = [];
        public LoggerVerbosity Verbosity { get; set; }
        public string? Parameters { get; set; }

        public void Initialize(IEventSource eventSource)
        {
            eventSource.ErrorRaised += (_, e) => Errors.Add($"{e.Code}: {e.Message}");
            eventSource.WarningRaised += (_, e) => Warnings.Add($"{e.Code}: {e.Message}");
        }

        public void Shutdown() { }
    }
}
