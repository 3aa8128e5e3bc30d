namespace MultiArch.Build.Diagnostics;

public static partial class ErrorCode
{
    /// <summary>A digest string is not algorithm:hex in a supported algorithm.</summary>
    public const string InvalidDigest = "MAB1001";
    /// <summary>A manifest, index or config is not valid JSON of the expected shape.</summary>
    public const string InvalidDocument = "MAB1002";
    /// <summary>A media type is not one MultiArch.Build knows how to handle.</summary>
    public const string UnsupportedMediaType = "MAB1003";
    /// <summary>Content read from disk or a registry does not hash to its digest.</summary>
    public const string DigestMismatch = "MAB1004";
}
