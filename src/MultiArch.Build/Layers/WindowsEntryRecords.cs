namespace MultiArch.Build.Layers;

/// <summary>
/// The PAX records each entry of a Windows layer carries, which Windows' layer importers (hcsshim's <c>ociwclayer</c>
/// through go-winio's <c>backuptar</c>) turn into the file's attributes and security descriptor:
/// <c>MSWINDOWS.fileattr</c>, the Win32 attributes in decimal (16, FILE_ATTRIBUTE_DIRECTORY, for a folder; 32,
/// FILE_ATTRIBUTE_ARCHIVE, what a newly written file has, for a file), and <c>MSWINDOWS.rawsd</c>, the base64
/// security descriptor (<see cref="WindowsSecurityDescriptor"/>). Times come from the entry's mtime, which is the
/// layer's fixed one, so the records hold nothing that changes between builds.
/// </summary>
internal static class WindowsEntryRecords
{
    public const string FileAttributesKey = "MSWINDOWS.fileattr";
    public const string SecurityDescriptorKey = "MSWINDOWS.rawsd";

    private static readonly KeyValuePair<string, string>[] Directory =
        [new(FileAttributesKey, "16"), new(SecurityDescriptorKey, WindowsSecurityDescriptor.Directory)];

    private static readonly KeyValuePair<string, string>[] File =
        [new(FileAttributesKey, "32"), new(SecurityDescriptorKey, WindowsSecurityDescriptor.File)];

    public static IReadOnlyList<KeyValuePair<string, string>> For(LayerEntry entry) => entry.Kind switch
    {
        LayerEntryKind.Directory => Directory,
        LayerEntryKind.File => File,
        // WindowsLayerTree refuses symlinks with a coded error before anything is written.
        _ => throw new InvalidOperationException($"{entry.ImagePath} is a symlink, which a Windows layer does not hold."),
    };
}
