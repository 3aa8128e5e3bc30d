using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layers;

namespace MultiArch.Build.Tests.Layers;

/// <summary>
/// Windows layers, read back with Python's tarfile (<see cref="WindowsImages"/>): the layout Windows' importers read
/// (every entry under Files/ or Hives/, parents first), the PAX records on every entry, the security descriptors as
/// Samba reads them, reproducible bytes, and the names Windows cannot hold refused before anything is written.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class WindowsLayerTests
{
    private static readonly LayerWriterOptions Windows = LayerGoldenTests.FixedOptions with { WindowsLayer = true };

    private static string PublishFolder(ScratchFolder folder)
    {
        folder.File("publish/App.dll", "managed code", GoldenTree.Rw_r__r__);
        folder.File("publish/App.exe", "apphost", GoldenTree.Rwxr_xr_x);
        folder.File("publish/wwwroot/css/site.css", "body{}", GoldenTree.Rw_r__r__);
        folder.File("publish/" + new string('n', 110) + ".json", "{}", GoldenTree.Rw_r__r__); // too long for ustar: a PAX path record
        return folder.Combine("publish");
    }

    private static async Task<(LayerResult Result, string Blob)> WriteAsync(ScratchFolder folder, IEnumerable<LayerEntry> entries, LayerWriterOptions options)
    {
        var store = new BlobStore(folder.Combine("blobs"));
        var arranged = options.WindowsLayer ? WindowsLayerTree.Arrange(entries) : LayerTree.Arrange(entries);
        var result = await new LayerWriter(options).WriteArrangedAsync(arranged, store, null, default);
        return (result, store.PathFor(result.Descriptor.Digest));
    }

    [Fact]
    public async Task EveryEntryIsUnderFilesOrHivesWithItsParentsBeforeIt()
    {
        using var folder = new ScratchFolder();
        var (_, blob) = await WriteAsync(folder, LayerEntries.FromDirectory(PublishFolder(folder), "/Files/app"), Windows);

        var members = WindowsImages.ReadLayer(blob);

        var names = members.Select(m => m.Name).ToList();
        Assert.Equal("Files", names[0]);
        Assert.Equal("Files/app", names[1]);
        Assert.Equal("Hives", names[^1]);
        Assert.Contains("Files/app/App.exe", names);
        Assert.Contains("Files/app/wwwroot/css/site.css", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.All(names, n => Assert.True(n is "Files" or "Hives" || n.StartsWith("Files/", StringComparison.Ordinal), n));
        Assert.All(names, n => Assert.False(n.StartsWith('/') || n.Contains('\\') || n.StartsWith("app", StringComparison.Ordinal), n));
        for (int i = 0; i < names.Count; i++)
        {
            int slash = names[i].LastIndexOf('/');
            if (slash > 0) Assert.Contains(names[i][..slash], names.Take(i));
        }
        Assert.All(members, m => Assert.Equal((LayerWriterOptions.DefaultMtime, 0, 0, "", ""), (m.Mtime, m.Uid, m.Gid, m.Uname, m.Gname)));
    }

    [Fact]
    public async Task EveryEntryCarriesItsAttributesAndSecurityDescriptor()
    {
        using var folder = new ScratchFolder();
        var (_, blob) = await WriteAsync(folder, LayerEntries.FromDirectory(PublishFolder(folder), "/Files/app"), Windows);

        var members = WindowsImages.ReadLayer(blob);

        foreach (var member in members)
        {
            Assert.Contains(member.Type, new[] { "dir", "file" });
            bool directory = member.Type == "dir";
            Assert.Equal(directory ? "16" : "32", member.Pax["MSWINDOWS.fileattr"]);
            Assert.Equal(directory ? WindowsSecurityDescriptor.Directory : WindowsSecurityDescriptor.File, member.Pax["MSWINDOWS.rawsd"]);
            // Nothing else but a long name's own record: no times, no pid, nothing that changes between builds.
            Assert.Empty(member.Pax.Keys.Except(["MSWINDOWS.fileattr", "MSWINDOWS.rawsd", "path"]));
        }
        var longName = Assert.Single(members, m => m.Name.EndsWith(".json", StringComparison.Ordinal));
        Assert.Equal(longName.Name, longName.Pax["path"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("apphost"u8)), members.Single(m => m.Name == "Files/app/App.exe").Sha256);
    }

    [Fact]
    public void TheDescriptorsGiveUsersReadAndExecuteAndAdministratorsAndSystemFullControl()
    {
        // Samba's reading: owner Administrators, group SYSTEM, a protected DACL, FILE_ALL_ACCESS for SYSTEM and
        // Administrators, FILE_GENERIC_READ|FILE_GENERIC_EXECUTE for Users; inherited by what a folder holds.
        Assert.Equal("O:BAG:SYD:P(A;OICI;0x001f01ff;;;SY)(A;OICI;0x001f01ff;;;BA)(A;OICI;0x001200a9;;;BU)", WindowsImages.Sddl(WindowsSecurityDescriptor.Directory));
        Assert.Equal("O:BAG:SYD:P(A;;0x001f01ff;;;SY)(A;;0x001f01ff;;;BA)(A;;0x001200a9;;;BU)", WindowsImages.Sddl(WindowsSecurityDescriptor.File));
    }

    [Fact]
    public async Task TheSameFilesGiveTheSameBytesAndALinuxLayerCarriesNoWindowsRecords()
    {
        using var folder = new ScratchFolder();
        string publish = PublishFolder(folder);
        var first = await WriteAsync(folder, LayerEntries.FromDirectory(publish, "/Files/app"), Windows);
        var again = await WriteAsync(folder, LayerEntries.FromDirectory(publish, "/Files/app").Reverse(), Windows);
        var linux = await WriteAsync(folder, LayerEntries.FromDirectory(publish, "/app"), LayerGoldenTests.FixedOptions);

        Assert.Equal(first.Result.Descriptor.Digest, again.Result.Descriptor.Digest);
        Assert.Equal(first.Result.DiffId, again.Result.DiffId);
        var linuxMembers = WindowsImages.ReadLayer(linux.Blob);
        Assert.Equal("app", linuxMembers[0].Name);
        Assert.All(linuxMembers, m => Assert.DoesNotContain(m.Pax.Keys, k => k.StartsWith("MSWINDOWS.", StringComparison.Ordinal)));
    }

    [Fact]
    public void TheFingerprintTellsAWindowsLayerFromALinuxLayerOfTheSameEntries()
    {
        using var folder = new ScratchFolder();
        var arranged = LayerTree.Arrange(LayerEntries.FromDirectory(PublishFolder(folder), "/Files/app"));

        Assert.NotEqual(LayerFingerprint.Compute(arranged, LayerGoldenTests.FixedOptions), LayerFingerprint.Compute(arranged, Windows));
    }

    [Theory]
    [InlineData("a:b.txt", "< > : \" \\ | ? *")]
    [InlineData("star*.txt", "< > : \" \\ | ? *")]
    [InlineData("trailing.", "dot or a space")]
    [InlineData("NUL.txt", "device")]
    [InlineData("com1", "device")]
    public void ANameWindowsCannotHoldIsRefusedWithItsPath(string name, string why)
    {
        var error = Assert.Throws<MabException>(() => WindowsLayerTree.Check([LayerEntry.File("/Files/app/" + name, "/dev/null", GoldenTree.Rw_r__r__)]));

        Assert.Equal(ErrorCode.WindowsLayerInvalidName, error.Code);
        Assert.Contains(@"C:\app\" + name, error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoNamesThatDifferOnlyByCaseAreRefused()
    {
        var error = Assert.Throws<MabException>(() => WindowsLayerTree.Check(
            [LayerEntry.File("/Files/app/Readme.md", "/dev/null", GoldenTree.Rw_r__r__), LayerEntry.File("/Files/app/README.md", "/dev/null", GoldenTree.Rw_r__r__)]));

        Assert.Equal(ErrorCode.WindowsLayerInvalidName, error.Code);
        Assert.Contains(@"C:\app\Readme.md", error.Message, StringComparison.Ordinal);
        Assert.Contains(@"C:\app\README.md", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASymlinkIsRefused()
    {
        var error = Assert.Throws<MabException>(() => WindowsLayerTree.Check([LayerEntry.Symlink("/Files/app/current", "v2")]));

        Assert.Equal(ErrorCode.WindowsLayerSymlink, error.Code);
        Assert.Contains(@"C:\app\current -> v2", error.Message, StringComparison.Ordinal);
    }
}
