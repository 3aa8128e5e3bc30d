namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// A throw-away app in its own folder with its own nuget.config that points at the packed feed, the way
/// a user's project takes MultiArch.Build from a feed.
/// </summary>
public sealed class AppProject : IDisposable
{
    private readonly SdkFixture _fixture;

    public AppProject(SdkFixture fixture, string name, string projectBody, string program, string sdk = "Microsoft.NET.Sdk")
        : this(fixture, Path.Combine(name, name + ".csproj"))
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(ProjectPath, $"""
            <Project Sdk="{sdk}">
              {projectBody}
              <ItemGroup>
                <PackageReference Include="MultiArch.Build" Version="{fixture.PackageVersion}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Directory, "Program.cs"), program);
        WriteNuGetConfig();
    }

    private AppProject(SdkFixture fixture, string projectUnderRoot)
    {
        _fixture = fixture;
        Root = Path.Combine(Path.GetTempPath(), "mab-e2e-app-" + Guid.NewGuid().ToString("N"));
        ProjectPath = Path.Combine(Root, projectUnderRoot);
        Directory = Path.GetDirectoryName(ProjectPath)!;
        System.IO.Directory.CreateDirectory(Root);
    }

    /// <summary>
    /// A copy of <paramref name="folder"/> (without its bin/ and obj/ folders) as the throw-away root, its own nuget.config
    /// replaced by one that points at the packed feed; <paramref name="projectUnderRoot"/> is the project <see cref="Publish(string[])"/> publishes.
    /// </summary>
    public static AppProject CopyOf(SdkFixture fixture, string folder, string projectUnderRoot)
    {
        var app = new AppProject(fixture, projectUnderRoot);
        foreach (string file in System.IO.Directory.GetFiles(folder, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(folder, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
            string target = Path.Combine(app.Root, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        app.WriteNuGetConfig();
        return app;
    }

    // In the folder above the project, so that the app's sibling projects (class libraries) restore from it too.
    private void WriteNuGetConfig() =>
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="multiarch-under-test" value="{_fixture.PackageFeed}" />
              </packageSources>
            </configuration>
            """);

    /// <summary>The throw-away folder that holds the app, its nuget.config and any sibling project.</summary>
    public string Root { get; }
    public string Directory { get; }
    public string ProjectPath { get; }

    /// <summary>Writes a sibling project <c>Root/name/name.csproj</c> (a class library, say) with the given files; returns its path.</summary>
    public string AddProject(string name, string projectXml, params (string Name, string Content)[] files)
    {
        string folder = Path.Combine(Root, name);
        System.IO.Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name + ".csproj");
        File.WriteAllText(path, projectXml);
        foreach (var (file, content) in files)
        {
            string target = Path.Combine(folder, file);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, content);
        }
        return path;
    }

    /// <summary>Deletes every bin/ and obj/ under <see cref="Root"/>: the next publish starts as on a fresh clone.</summary>
    public void Clean()
    {
        foreach (var dir in System.IO.Directory.GetDirectories(Root, "*", SearchOption.AllDirectories)
                     .Where(d => Path.GetFileName(d) is "bin" or "obj").ToList())
        {
            if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    public static string ConsoleProperties(string extra = "") =>
        $"<PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>{extra}</PropertyGroup>";

    /// <summary>Runs <c>dotnet publish</c> with the given -p: properties (and any raw arguments starting with '-').</summary>
    public ProcessResult Publish(params string[] properties) => Publish(new Dictionary<string, string?>(), properties);

    /// <summary>Runs <c>dotnet publish</c> with extra environment variables (registry credentials, for instance).</summary>
    public ProcessResult Publish(IReadOnlyDictionary<string, string?> environment, params string[] properties) =>
        Dotnet(["publish", ProjectPath, "-c", "Release"], environment, properties);

    /// <summary>Runs <c>dotnet publish</c> of another project or solution under <see cref="Root"/> with the given -p: properties.</summary>
    public ProcessResult PublishPath(string path, params string[] properties) =>
        Dotnet(["publish", path, "-c", "Release"], new Dictionary<string, string?>(), properties);

    /// <summary>Runs any <c>dotnet</c> command (<c>build</c>, say) with the same environment as a publish.</summary>
    public ProcessResult RunDotnet(params string[] arguments) => Dotnet(arguments, new Dictionary<string, string?>(), []);

    /// <summary>Runs <c>dotnet msbuild -restore -t:target</c> (a target that publishes nothing) with the given -p: properties.</summary>
    public ProcessResult MSBuild(string target, IReadOnlyDictionary<string, string?> environment, params string[] properties) =>
        Dotnet(["msbuild", ProjectPath, "-restore", "-t:" + target], environment, properties);

    private ProcessResult Dotnet(IEnumerable<string> command, IReadOnlyDictionary<string, string?> environment, string[] properties)
    {
        var arguments = new List<string>(command) { "-nodeReuse:false", "-v:n" };
        arguments.AddRange(properties.Select(p => p.StartsWith('-') ? p : "-p:" + p));
        var variables = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["SOURCE_DATE_EPOCH"] = null,
        };
        foreach (var (key, value) in environment) variables[key] = value;
        return ProcessRunner.Run("dotnet", arguments, Directory, variables);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
