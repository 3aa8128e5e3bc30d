using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Indexes;

/// <summary>
/// ContainerIndexSources: image references (<c>reg/repo@sha256:…</c>, <c>reg/repo:tag</c>) or bare digests
/// (<c>sha256:…</c>, meaning the target repository) or OCI layouts (<c>oci:&lt;path&gt;[:&lt;ref&gt;]</c>), separated by ';', ',' or white space. White space
/// matters because MSBuild's <c>-p:</c> switch splits a value at ';' and ',' unless the quotes reach it.
/// </summary>
public static class IndexSources
{

    /// <returns>Each source as a reference <see cref="Sources.ImageSources"/> opens: a registry reference, or an <c>oci:</c> layout.</returns>
    public static IReadOnlyList<string> Parse(string? value, ImageReference target)
    {
        var parts = ListValues.Split(value);
        if (parts.Length == 0)
            throw new MabException(ErrorCode.IndexNoSources,
                "ContainerIndexSources is empty. List the images to merge, for example -p:ContainerIndexSources=\"reg/app@sha256:… reg/app@sha256:…\" (separate them with spaces, or quote a ';' list so MSBuild sees the quotes).");
        return parts.Select(part => ParseOne(part, target)).Distinct().ToList();
    }

    private static string ParseOne(string part, ImageReference target)
    {
        string text = part.TrimStart('@');
        if (Digest.TryParse(text, out var digest)) return target.WithDigest(digest).ToString();
        if (Layout.LayoutImageSource.Handles(part)) return part;
        if (ImageReference.TryParse(part, out var reference)) return reference.ToString();
        throw new MabException(ErrorCode.IndexSourceInvalid,
            $"ContainerIndexSources entry '{part}' is neither an image reference nor a digest. Use registry/repository@sha256:<hex>, registry/repository:tag, oci:<layout path>[:<ref>], or sha256:<hex> for an image already in {target.Registry}/{target.Repository}.");
    }
}
