namespace MultiArch.Build.Diagnostics;

public static partial class ErrorCode
{
    /// <summary>A symlink in the folder being layered points outside it (absolute, or too many "..").</summary>
    public const string LayerSymlinkEscapesRoot = "MAB1201";
    /// <summary>A source file disappeared or could not be opened while its layer was being written.</summary>
    public const string LayerSourceVanished = "MAB1202";
    /// <summary>A source file changed size while its layer was being written.</summary>
    public const string LayerSourceChanged = "MAB1203";
    /// <summary>The folder being layered holds something a layer cannot carry (a device, FIFO or socket).</summary>
    public const string LayerUnsupportedFileType = "MAB1204";
    /// <summary>An image path is not an absolute, normalised path (empty segment, "." or "..").</summary>
    public const string LayerInvalidImagePath = "MAB1205";
    /// <summary>Two entries of one layer map to the same image path, or a file or symlink is also used as a directory.</summary>
    public const string LayerDuplicatePath = "MAB1206";
    /// <summary>SOURCE_DATE_EPOCH or a configured mtime is not a whole number of seconds in range.</summary>
    public const string LayerInvalidMtime = "MAB1207";
    /// <summary>The layer compression is not one the writer produces (tar, tar+gzip or tar+zstd).</summary>
    public const string LayerUnsupportedMediaType = "MAB1208";
    /// <summary>The folder to layer does not exist.</summary>
    public const string LayerSourceFolderMissing = "MAB1209";
    /// <summary>The publish output for a Windows image holds a symbolic link, which a Windows layer cannot hold.</summary>
    public const string WindowsLayerSymlink = "MAB1210";
    /// <summary>A file of a Windows image has a name Windows does not allow, or differs from another only by case.</summary>
    public const string WindowsLayerInvalidName = "MAB1211";
    /// <summary>ContainerLayerStrategy names no known strategy (Split or Single).</summary>
    public const string InvalidLayerStrategy = "MAB1250";
    /// <summary>ContainerLayerCompression names no known compression (gzip or zstd).</summary>
    public const string InvalidLayerCompression = "MAB1251";
    /// <summary>zstd layers were asked for in a Docker-format image, whose manifest has no zstd layer type.</summary>
    public const string LayerCompressionNeedsOci = "MAB1252";
}
