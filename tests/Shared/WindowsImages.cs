using System.Text.Json;

namespace MultiArch.Build.Testing;

/// <summary>
/// Windows image fixtures and checks from <c>Shared/windows_images.py</c>: Python's own tarfile makes the synthetic
/// Windows base index and reads back what the product wrote, PAX records included; Samba's NDR parser reads the security
/// descriptors. Nothing here uses the product's tar writer or reader.
/// </summary>
public static class WindowsImages
{
    /// <summary>The ref name of the base index <see cref="MakeBase"/> writes.</summary>
    public const string BaseTag = "1.0";

    /// <summary>The Windows versions of that base, in its index's order.</summary>
    public static readonly string[] BaseVersions = ["10.0.17763.5458", "10.0.20348.2340"];

    /// <summary>One member of a tar as Python's tarfile reads it.</summary>
    public sealed record TarMember(string Name, string Type, long Size, int Mode, long Mtime, int Uid, int Gid, string Uname, string Gname,
        Dictionary<string, string> Pax, string Sha256);

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    // Debian's python3 is the one python3-samba installs for; a python3 of another install may come first on the PATH.
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Shared", "windows_images.py");

    /// <summary>Writes the OCI layout of a linux/amd64 + two windows/amd64 base index at <paramref name="layout"/>, ref <see cref="BaseTag"/>.</summary>
    public static void MakeBase(string layout) => ProcessRunner.RunChecked(Python, [Script, "base", layout, BaseTag]);

    /// <summary>Every member of a layer blob (gzip or plain tar), in order.</summary>
    public static IReadOnlyList<TarMember> ReadLayer(string path) =>
        JsonSerializer.Deserialize<List<TarMember>>(ProcessRunner.RunChecked(Python, [Script, "layer", path]).Output, Json)!;

    /// <summary>The SDDL of a base64 self-relative security descriptor, as Samba reads it.</summary>
    public static string Sddl(string base64) => ProcessRunner.RunChecked(Python, [Script, "sd", base64]).Output.Trim();
}
