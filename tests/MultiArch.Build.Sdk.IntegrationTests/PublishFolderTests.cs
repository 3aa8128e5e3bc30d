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

    /// <summary>
    /// Publishes linux-x64 to <paramref name="repository"/>, checks the publish folder holds <paramref name="expectedFiles"/>,
    /// then unpacks the pushed image and compares it with that folder; returns the image's reference.
    /// </summary>
    private string PublishAndCompare(AppProject app, string repository, params string[] expectedFiles)
    {
        var publish = app.Publish("ContainerPlatforms=linux-x64", $"ContainerRegistry={fixture.Registry}", $"ContainerRepository={repository}",
            $"ContainerBaseRegistry={fixture.Registry}", "UseAppHost=false");
        Assert.True(publish.ExitCode == 0, publish.All);
        string folder = ImageFiles.PublishFolderOf(app.Directory);
        var tree = ImageFiles.Tree(folder);
        foreach (string file in expectedFiles) Assert.Contains(file, tree.Keys);

        string image = $"{fixture.Registry}/{repository}:latest";
        using var files = ImageFiles.Unpack(image);
        files.AssertSameAs(folder);
        return image;
    }

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

        string image = PublishAndCompare(app, "e2e/everything", "fr/Everything.resources.dll", "libe_sqlite3.so", "data/settings.txt");
        var run = Podman.Run(image);
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

        string image = PublishAndCompare(app, "e2e/static", "Static.staticwebassets.endpoints.json", "wwwroot/css/site.css", "wwwroot/css/site.css.gz");

        // The app starts (MapStaticAssets needs the endpoints manifest) and serves the static file, asked from inside the container.
        const string serve = """
            dotnet /app/Static.dll > /tmp/app.log 2>&1 &
            i=0; while [ $i -lt 30 ]; do busybox wget -qO- http://127.0.0.1:8080/css/site.css && exit 0; i=$((i+1)); busybox sleep 1; done
            cat /tmp/app.log; exit 1
            """;
        var run = Podman.Run(image, options: ["--entrypoint", "sh"], arguments: ["-c", serve]);
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

        PublishAndCompare(app, "e2e/webapi", "appsettings.json");
    }
}
