using MultiArch.Build.Platforms;
using MultiArch.Build.Publishing;

namespace MultiArch.Build.Tests.Sbom;

/// <summary>
/// A platform's publish as the SBOM reads it, written in a temp folder: NuGet's project.assets.json (graph net10.0/linux-x64:
/// Serilog depends on Serilog.Sinks.Console's dependency Microsoft.Extensions.Primitives; Analyzer is in the graph but
/// ships nothing) and the publish's deps.json, the shapes the SDK writes.
/// </summary>
internal sealed class SbomFixture : IDisposable
{
    // SHA-512s as NuGet writes them (base64).
    public const string SerilogHash = "P6G4/4Kt9bT635bhuwdXlJ2SCqqn2nhh4gqFqQueCOr9bK/e7W9ll/IoX1Ter948cV2Z/5+5v8pAfJYUISY03A==";
    public const string SinkHash = "HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==";
    public const string PrimitivesHash = "/q77jUgDOS+bzkmk3Vy9SiWMaetTw+NOoPAV0xPBsGVAyljd5S6P+4RUW7R3ZUGGr9lDRyPKgAMj2UAOwvqZYw==";

    private readonly TempFolder _folder = new();

    public SbomFixture(bool selfContained = false)
    {
        PackagesFolder = _folder.Combine("packages");
        string runtimeTarget = selfContained ? """
            "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": { "runtime": { "System.Private.CoreLib.dll": {} } },
            """ : "";
        string runtimeLibrary = selfContained ? """
            "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.12": { "type": "runtimepack", "serviceable": false, "sha512": "" },
            """ : "";
        File.WriteAllText(_folder.Combine("project.assets.json"), $$"""
            {
              "version": 3,
              "targets": {
                "net10.0": {},
                "net10.0/linux-x64": {
                  "Serilog/3.1.1": { "type": "package", "dependencies": { "Serilog.Sinks.Console": "5.0.0" }, "runtime": { "lib/net7.0/Serilog.dll": {} } },
                  "Serilog.Sinks.Console/5.0.0": { "type": "package", "dependencies": { "Microsoft.Extensions.Primitives": "8.0.0" }, "runtime": { "lib/net7.0/Serilog.Sinks.Console.dll": {} } },
                  "Microsoft.Extensions.Primitives/8.0.0": { "type": "package", "runtime": { "lib/net8.0/Microsoft.Extensions.Primitives.dll": {} } },
                  "Analyzer/1.0.0": { "type": "package" },
                  "Lib/2.0.0": { "type": "project", "framework": ".NETCoreApp,Version=v10.0", "dependencies": { "Serilog": "3.1.1" }, "runtime": { "bin/placeholder/Lib.dll": {} } }
                }
              },
              "libraries": {
                "Serilog/3.1.1": { "sha512": "{{SerilogHash}}", "type": "package", "path": "serilog/3.1.1" },
                "Serilog.Sinks.Console/5.0.0": { "sha512": "{{SinkHash}}", "type": "package", "path": "serilog.sinks.console/5.0.0" },
                "Microsoft.Extensions.Primitives/8.0.0": { "sha512": "{{PrimitivesHash}}", "type": "package", "path": "microsoft.extensions.primitives/8.0.0" },
                "Analyzer/1.0.0": { "sha512": "{{PrimitivesHash}}", "type": "package", "path": "analyzer/1.0.0" },
                "Lib/2.0.0": { "type": "project", "path": "../Lib/Lib.csproj", "msbuildProject": "../Lib/Lib.csproj" }
              },
              "projectFileDependencyGroups": { "net10.0": [ "Analyzer >= 1.0.0", "Lib >= 2.0.0", "Serilog >= 3.1.1" ] },
              "packageFolders": { "{{PackagesFolder.Replace("\\", "\\\\")}}/": {} },
              "project": {
                "version": "1.2.3",
                "restore": { "projectName": "App" },
                "frameworks": { "net10.0": { "downloadDependencies": [ { "name": "Microsoft.NETCore.App.Runtime.linux-x64", "version": "[10.0.12, 10.0.12]" } ] } }
              }
            }
            """);
        Directory.CreateDirectory(_folder.Combine("publish"));
        File.WriteAllText(_folder.Combine("publish", "App.deps.json"), $$"""
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0/linux-x64", "signature": "" },
              "targets": {
                ".NETCoreApp,Version=v10.0/linux-x64": {
                  "App/1.2.3": { "dependencies": { "Lib": "2.0.0", "Serilog": "3.1.1" }, "runtime": { "App.dll": {} } },
                  {{runtimeTarget}}
                  "Serilog/3.1.1": { "dependencies": { "Serilog.Sinks.Console": "5.0.0" }, "runtime": { "lib/net7.0/Serilog.dll": {} } },
                  "Serilog.Sinks.Console/5.0.0": { "runtime": { "lib/net7.0/Serilog.Sinks.Console.dll": {} } },
                  "Microsoft.Extensions.Primitives/8.0.0": { "runtime": { "lib/net8.0/Microsoft.Extensions.Primitives.dll": {} } },
                  "Lib/2.0.0": { "runtime": { "Lib.dll": {} } }
                }
              },
              "libraries": {
                "App/1.2.3": { "type": "project", "serviceable": false, "sha512": "" },
                {{runtimeLibrary}}
                "Serilog/3.1.1": { "type": "package", "serviceable": true, "sha512": "sha512-{{SerilogHash}}", "path": "serilog/3.1.1" },
                "Serilog.Sinks.Console/5.0.0": { "type": "package", "serviceable": true, "sha512": "sha512-{{SinkHash}}", "path": "serilog.sinks.console/5.0.0" },
                "Microsoft.Extensions.Primitives/8.0.0": { "type": "package", "serviceable": true, "sha512": "sha512-{{PrimitivesHash}}", "path": "microsoft.extensions.primitives/8.0.0" },
                "Lib/2.0.0": { "type": "project", "serviceable": false, "sha512": "" }
              }
            }
            """);
        if (selfContained)
        {
            string pack = Path.Combine(PackagesFolder, "microsoft.netcore.app.runtime.linux-x64", "10.0.12");
            Directory.CreateDirectory(pack);
            File.WriteAllText(Path.Combine(pack, "microsoft.netcore.app.runtime.linux-x64.10.0.12.nupkg.sha512"), SinkHash);
        }
    }

    public string PackagesFolder { get; }
    public string AssetsFile => _folder.Combine("project.assets.json");

    public PublishedPlatform Platform(bool withDeps = true)
    {
        var files = new List<PublishedFile>
        {
            new(_folder.Combine("publish", "App.dll"), "App.dll"),
            new(_folder.Combine("publish", "Serilog.dll"), "Serilog.dll", "Serilog", "runtime"),
            new(_folder.Combine("publish", "Serilog.Sinks.Console.dll"), "Serilog.Sinks.Console.dll", "Serilog.Sinks.Console", "runtime"),
            new(_folder.Combine("publish", "Microsoft.Extensions.Primitives.dll"), "Microsoft.Extensions.Primitives.dll", "Microsoft.Extensions.Primitives", "runtime"),
        };
        if (withDeps) files.Add(new(_folder.Combine("publish", "App.deps.json"), "App.deps.json"));
        return new PublishedPlatform(new PlatformTarget(PlatformParser.Parse("linux/amd64"), "linux-x64"), "base", _folder.Combine("publish"), files)
        {
            ProjectAssetsFile = AssetsFile,
            TargetFramework = "net10.0",
        };
    }

    public void Dispose() => _folder.Dispose();
}
