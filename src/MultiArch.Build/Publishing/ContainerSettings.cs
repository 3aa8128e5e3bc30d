using MultiArch.Build.Diagnostics;
using MultiArch.Build.Layers;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;
using MultiArch.Build.Sbom;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Checks the destination and layer settings before anything is built, so a bad tag, repository, format, layer strategy, layer compression or app command instruction fails in a
/// second instead of after every platform has been compiled and published.
/// </summary>
public static class ContainerSettings
{
    /// <summary>The settings, parsed once: callers use these values rather than parsing the strings again.</summary>
    public sealed record Checked(string Repository, IReadOnlyList<string> Tags, ImageFormat? Format, LayerStrategy LayerStrategy, AppCommandInstruction? AppCommandInstruction, LayerCompression LayerCompression, string? RepositoryWarning)
    {
        /// <summary>Where the SBOM goes; null when none is made (ContainerGenerateSbom is not true).</summary>
        public SbomStorage? Sbom { get; init; }
    }

    /// <param name="sbom">Whether ContainerGenerateSbom is on, ContainerSbomStorage, and whether the images are pushed by digest (no index).</param>
    public static Checked Check(string repository, string? tags, string? format, string? registry, string? layerStrategy = null, string? appCommandInstruction = null, string? layerCompression = null,
        (bool Generate, string? Storage, bool PushByDigest) sbom = default)
    {
        var (normalized, changed) = RepositoryNames.Normalize(repository);
        var parsedTags = ImageTags.ParseList(tags);
        var parsedFormat = ImageFormats.Parse(format);
        var strategy = LayerStrategies.Parse(layerStrategy);
        var instruction = AppCommandInstructions.Parse(appCommandInstruction);
        var compression = LayerCompressions.Parse(layerCompression);
        if (parsedFormat is { } forced) LayerCompressions.EnsureSupportedBy(compression, forced);
        // The storage is checked whether or not the SBOM is on, so a typo never waits for the day it is turned on.
        var storage = SbomStorages.Parse(sbom.Storage);
        if (sbom.Generate) SbomStorages.EnsureExpressible(storage, parsedFormat, sbom.PushByDigest);
        if (!string.IsNullOrWhiteSpace(registry))
            ImageReference.Parse($"{registry.Trim()}/{normalized}");
        string? warning = changed
            ? $"ContainerRepository '{repository}' is not a valid repository name; using '{normalized}'. Set ContainerRepository to a lowercase name to silence this."
            : null;
        return new Checked(normalized, parsedTags, parsedFormat, strategy, instruction, compression, warning) { Sbom = sbom.Generate ? storage : null };
    }
}
