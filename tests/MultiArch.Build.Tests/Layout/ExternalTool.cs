namespace MultiArch.Build.Tests.Layout;

/// <summary>Runs an installed tool (skopeo, umoci, oci-image-tool) and captures what it printed.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}: {Output}";
    }

    public static Result Run(string tool, params string[] arguments)
    {
        var result = ProcessRunner.Run(tool, arguments, timeout: TimeSpan.FromMinutes(2));
        return new Result(result.ExitCode, result.Output + result.Error);
    }

    public static Result RunOk(string tool, params string[] arguments)
    {
        var result = Run(tool, arguments);
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} -> {result}");
        return result;
    }

    /// <summary>
    /// Validates an OCI image layout with oci-image-tool. This oci-image-tool (1.0.0-rc1) names the
    /// layout check <c>--type image</c> (it reports "imageLayout" as the detected kind) and has no
    /// working <c>--type imageLayout</c>; with a ref it also validates that ref's manifest, config and layers.
    /// </summary>
    public static Result ValidateLayout(string layout, string? refName = null)
    {
        var arguments = new List<string> { "validate", "--type", "image" };
        if (refName is not null) arguments.AddRange(["--ref", "name=" + refName]);
        arguments.Add(layout);
        var result = Run("oci-image-tool", [.. arguments]);
        Assert.True(result.ExitCode == 0, $"oci-image-tool {string.Join(' ', arguments)} -> {result}");
        return result;
    }

    /// <summary>Validates one document of a layout (manifest, imageIndex or config) against its schema.</summary>
    public static void ValidateBlob(string layout, string type, MultiArch.Build.Oci.Descriptor descriptor)
    {
        string path = System.IO.Path.Combine(layout, "blobs", descriptor.Digest.Algorithm, descriptor.Digest.Hex);
        var result = Run("oci-image-tool", "validate", "--type", type, path);
        Assert.True(result.ExitCode == 0, $"oci-image-tool validate --type {type} {path} -> {result}");
    }

    /// <summary>Unpacks a layout ref into a runtime bundle with umoci, rootless unless running as root.</summary>
    public static void UmociUnpack(string layout, string refName, string bundle)
    {
        var arguments = new List<string> { "unpack" };
        if (Environment.UserName != "root") arguments.Add("--rootless");
        arguments.AddRange(["--image", $"{layout}:{refName}", bundle]);
        RunOk("umoci", [.. arguments]);
    }
}
