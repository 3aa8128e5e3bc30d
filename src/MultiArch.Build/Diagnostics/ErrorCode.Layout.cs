namespace MultiArch.Build.Diagnostics;

public static partial class ErrorCode
{
    /// <summary>No directory or archive exists at the layout path given.</summary>
    public const string LayoutNotFound = "MAB1401";
    /// <summary>The path is not an OCI image layout (no or unsupported <c>oci-layout</c> file, or no <c>index.json</c>).</summary>
    public const string NotAnOciLayout = "MAB1402";
    /// <summary>Retired, never reused: a ref name the layout lacks is the not-found code of the step that asked (MAB2007 for a base, MAB4003 for an index source, MAB4020 for inspect), as for a registry.</summary>
    public const string LayoutRefNotFound = "MAB1403";
    /// <summary>A blob the layout references is not in its <c>blobs/</c> folder.</summary>
    public const string LayoutBlobMissing = "MAB1404";
    /// <summary>A blob in the layout does not match its digest or size.</summary>
    public const string LayoutBlobCorrupt = "MAB1405";
    /// <summary>A ref name (tag) is not valid for <c>org.opencontainers.image.ref.name</c>.</summary>
    public const string InvalidRefName = "MAB1406";
    /// <summary>A layout archive cannot be read (not a tar, an unsafe entry).</summary>
    public const string InvalidLayoutArchive = "MAB1407";
    /// <summary>A document in the layout is larger than a manifest or config may be.</summary>
    public const string LayoutDocumentTooLarge = "MAB1408";
    /// <summary>The layout or archive path cannot be used: a part of it is a file, or it cannot be created or written (permissions, read-only disk).</summary>
    public const string LayoutPathUnusable = "MAB1409";
    /// <summary>Writing the layout or archive failed part way (a full disk, an I/O error); what was there before is kept.</summary>
    public const string LayoutWriteFailed = "MAB1410";
}
