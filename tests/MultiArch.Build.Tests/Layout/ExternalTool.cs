namespace MultiArch.Build.Tests.Layout;

/// <summary>The layout checks the tests make with independent tools (oci-image-tool, umoci).</summary>
public static class ExternalTool
{
    /// <summary>
    /// Validates an OCI image layout with oci-image-tool. This oci-image-tool (1.0.0-rc1) names the
    /// layout check <c>--type image</c> (it reports "imageLayout" as the detected kind) and has no
    /// working <c>--type imageLayout</c>; with a ref it also validates that ref's manifest, config and layers.
    /// </summary>
    public static ProcessResult ValidateLayout(string layout, string? refName = null)
    {
        var arguments = new List<string> { "validate", "--type", "image" };
        if (refName is not null) arguments.AddRange(["--ref", "name=" + refName]);
        arguments.Add(layout);
        return ProcessRunner.RunChecked("oci-image-tool", arguments);
    }

    /// <summary>Validates one document of a layout (manifest, imageIndex or config) against its schema.</summary>
    public static void ValidateBlob(string layout, string type, MultiArch.Build.Oci.Descriptor descriptor)
    {
        ProcessRunner.RunChecked("oci-image-tool", "validate", "--type", type, new MultiArch.Build.Blobs.BlobStore(System.IO.Path.Combine(layout, "blobs")).PathFor(descriptor.Digest));
    }

    /// <summary>Unpacks a layout ref into a runtime bundle with umoci, rootless unless running as root.</summary>
    public static void UmociUnpack(string layout, string refName, string bundle)
    {
        var arguments = new List<string> { "unpack" };
        if (Environment.UserName != "root") arguments.Add("--rootless");
        arguments.AddRange(["--image", $"{layout}:{refName}", bundle]);
        ProcessRunner.RunChecked("umoci", arguments);
    }
}
