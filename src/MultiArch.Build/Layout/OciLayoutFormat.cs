using System.Text.RegularExpressions;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Layout;

/// <summary>The fixed names of an OCI image layout (image-spec image-layout.md) and its ref-name rule.</summary>
public static partial class OciLayoutFormat
{
    public const string LayoutFileName = "oci-layout";
    public const string IndexFileName = "index.json";
    public const string BlobsFolderName = "blobs";
    public const string Version = "1.0.0";
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>The full image name containerd (ctr import) and podman (podman load) read from an index.json entry.</summary>
    public const string ImageNameAnnotation = "io.containerd.image.name";

    /// <summary>The exact bytes of the <c>oci-layout</c> file this writer produces.</summary>
    internal static byte[] LayoutFileContent => """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray();

    public static bool IsValidRefName(string refName) => RefNamePattern().IsMatch(refName);

    public static void ValidateRefName(string refName)
    {
        if (!IsValidRefName(refName))
        {
            throw new MabException(ErrorCode.InvalidRefName,
                $"'{refName}' is not a valid layout ref name. Use letters and digits, separated by one of - . _ : @ + or '--', with '/' between parts (for example 1.0 or app/v2).");
        }
    }

    // image-spec annotations.md: ref ::= component ("/" component)*; component ::= alphanum (separator alphanum)*.
    [GeneratedRegex(@"^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RefNamePattern();
}
