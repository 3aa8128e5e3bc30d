namespace MultiArch.Build.Sdk.IntegrationTests;

/// <summary>
/// The image holds exactly what `dotnet publish` writes to the publish folder: every file (including those the
/// SDK copies with targets of its own, such as static web assets), the same bytes, and modes by the documented rule.
/// </summary>
[Collection(SdkCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishFolderTests(SdkFixture fixture)
{
    private static string Resx(string value) => $$"""
        <?xml version="1.0" encoding="utf-8"?>
        <root>
          <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
          <resheader name="version"><value>2.0</value></resheader>
          <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
          <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
          <data name="Hello" xml:space="preserve"><value>{{value}}</value></data>
        </root>
        """;

    private static string PublishDir(AppProject app) => ImageFiles.PublishFolderOf(app.Directory);

    private string[] Push(string repository) =>
        ["ContainerPlatforms=linux-x64", $"ContainerRegistry={fixture.Registry}", $"ContainerRepository={repository}", $"ContainerBaseRegistry={fixture.Registry}", "UseAppHost=false"];

    [Fact]
    public void AConsoleAppWithSatelliteAssembliesANativePackageAndPublishedContentIsCopiedExactly()
    {
        const string program = """
            var strings = new System.Resources.ResourceManager("Everything.Resources.Strings", typeof(Program).Assembly);
            Console.WriteLine(strings.GetString("Hello", new System.Globalization.CultureInfo("fr")) + " " + File.ReadAllText("/app/data/settings.txt").Trim());
            """;
        string body = AppProject.ConsoleProperties() + """
            <ItemGroup>
              <PackageReference Include="SQLitePCLRaw.lib.e_sqlite3" Version="2.1.11" />
              <None Include="data/settings.txt" CopyToPublishDirectory="PreserveNewest" />
            </ItemGroup>
            """;
        using var app = new AppProject(fixture, "Everything", body, program);
        Directory.CreateDirectory(Path.Combine(app.Directory, "Resources"));
        File.WriteAllText(Path.Combine(app.Directory, "Resources", "Strings.resx"), Resx("Hello"));
        File.WriteAllText(Path.Combine(app.Directory, "Resources", "Strings.fr.resx"), Resx("Bonjour"));
        Directory.CreateDirectory(Path.Combine(app.Directory, "data"));
        File.WriteAllText(Path.Combine(app.Directory, "data", "settings.txt"), "from-content");

        var publish = app.Publish(Push("e2e/everything"));
        Assert.True(publish.ExitCode == 0, publish.All);
        string folder = PublishDir(app);
        var tree = ImageFiles.Tree(folder);
        Assert.Contains("fr/Everything.resources.dll", tree.Keys);
        Assert.Contains("libe_sqlite3.so", tree.Keys);
        Assert.Contains("data/settings.txt", tree.Keys);

        string image = $"{fixture.Registry}/e2e/everything:latest";
        using (var files = ImageFiles.Unpack(image)) files.AssertSameAs(folder);
        var run = ProcessRunner.Run("podman", ["run", "--rm", "--pull=always", "--net=none", "--tls-verify=false", image]);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("Bonjour from-content", run.Output);
    }

    [Fact]
    public void AWebAppWithStaticAssetsHasThemAllAndServesThem()
    {
        const string program = """
            var app = WebApplication.CreateBuilder(args).Build();
            app.MapStaticAssets();
            app.MapGet("/", () => "root");
            app.Run();
            """;
        using var app = new AppProject(fixture, "Static", "<PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>",
            program, "Microsoft.NET.Sdk.Web");
        Directory.CreateDirectory(Path.Combine(app.Directory, "wwwroot", "css"));
        File.WriteAllText(Path.Combine(app.Directory, "wwwroot", "css", "site.css"), "body { color: rebeccapurple; } /* " + new string('x', 2000) + " */");

        var publish = app.Publish(Push("e2e/static"));
        Assert.True(publish.ExitCode == 0, publish.All);
        string folder = PublishDir(app);
        var tree = ImageFiles.Tree(folder);
        Assert.Contains("Static.staticwebassets.endpoints.json", tree.Keys);
        Assert.Contains("wwwroot/css/site.css", tree.Keys);
        Assert.Contains("wwwroot/css/site.css.gz", tree.Keys);

        string image = $"{fixture.Registry}/e2e/static:latest";
        using (var files = ImageFiles.Unpack(image)) files.AssertSameAs(folder);

        // The app starts (MapStaticAssets needs the endpoints manifest) and serves the static file, asked from inside the container.
        const string serve = """
            dotnet /app/Static.dll > /tmp/app.log 2>&1 &
            i=0; while [ $i -lt 30 ]; do busybox wget -qO- http://127.0.0.1:8080/css/site.css && exit 0; i=$((i+1)); busybox sleep 1; done
            cat /tmp/app.log; exit 1
            """;
        var run = ProcessRunner.Run("podman", ["run", "--rm", "--pull=always", "--net=none", "--tls-verify=false", "--entrypoint", "sh", image, "-c", serve]);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("body { color: rebeccapurple; }", run.Output);
    }

    [Fact]
    public void TheWebApiTemplateIsCopiedExactly()
    {
        using var app = new AppProject(fixture, "Api", "", "");
        File.Delete(app.ProjectPath);
        File.Delete(Path.Combine(app.Directory, "Program.cs"));
        ProcessRunner.RunChecked("dotnet", ["new", "webapi", "--name", "Api", "--output", app.Directory, "--no-restore", "--framework", "net10.0"], app.Directory);
        string project = File.ReadAllText(app.ProjectPath);
        File.WriteAllText(app.ProjectPath, project.Replace("</Project>",
            $"""<ItemGroup><PackageReference Include="MultiArch.Build" Version="{fixture.PackageVersion}" /></ItemGroup></Project>""", StringComparison.Ordinal));

        var publish = app.Publish(Push("e2e/webapi"));
        Assert.True(publish.ExitCode == 0, publish.All);
        string folder = PublishDir(app);
        Assert.Contains("appsettings.json", ImageFiles.Tree(folder).Keys);
        using var files = ImageFiles.Unpack($"{fixture.Registry}/e2e/webapi:latest");
        files.AssertSameAs(folder);
    }
}
