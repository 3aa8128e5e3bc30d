namespace MultiArch.Build.Testing;

/// <summary>A fresh folder for one test, removed on dispose, so a test that fails leaves nothing behind either.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "mab-test")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
