using System.Globalization;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Oci;
using MultiArch.Build.Platforms;

namespace MultiArch.Build.Images;

/// <summary>
/// Applies <see cref="ImageConfigEdits"/> and new layers to a copy of a base config. Everything the
/// edits do not name (Healthcheck, Shell, OnBuild, vendor fields, variant, os.version) is kept as is.
/// </summary>
internal static class ImageConfigEditor
{
    /// <param name="listed">The platform the base index lists the base under; what it adds to the base config's platform is written into the new config.</param>
    public static ImageConfig Apply(ImageConfig baseConfig, Platform? listed, IReadOnlyList<NewLayer> layers, ImageConfigEdits edits)
    {
        var config = OciJson.Clone(baseConfig);
        AddListedPlatform(config, listed);
        string created = FormatTimestamp(edits.Created);
        config.Created = created;
        var container = config.Config ??= new ContainerConfig();
        ApplyProcess(container, edits);
        container.Env = MergeEnv(container.Env, edits.Env);
        ApplyPorts(container, edits.Ports);
        ApplyLabels(container, edits.Labels);
        AppendLayers(config, layers, created);
        return config;
    }

    /// <summary>
    /// Base indexes often say more than base configs do (arm64's <c>v8</c>, Windows' os.version). The
    /// index this build writes lists the image under the base index's platform, and a merge of images
    /// pushed by digest reads the platform from each config; writing the missing fields into the config
    /// makes both give the same index. A field the config has is kept (the config describes the image),
    /// and nothing is taken from an entry for another os or architecture.
    /// </summary>
    private static void AddListedPlatform(ImageConfig config, Platform? listed)
    {
        if (listed is null) return;
        if (string.IsNullOrEmpty(config.OS) && string.IsNullOrEmpty(config.Architecture))
        {
            config.OS = listed.OS;
            config.Architecture = listed.Architecture;
        }
        var own = PlatformNormalizer.Normalize(config.ToPlatform());
        var other = PlatformNormalizer.Normalize(listed);
        if (own.OS != other.OS || own.Architecture != other.Architecture) return;
        if (string.IsNullOrEmpty(config.Variant) && !string.IsNullOrEmpty(listed.Variant)) config.Variant = listed.Variant;
        if (string.IsNullOrEmpty(config.OSVersion) && !string.IsNullOrEmpty(listed.OSVersion)) config.OSVersion = listed.OSVersion;
        if (config.OSFeatures is not { Count: > 0 } && listed.OSFeatures is { Count: > 0 } features) config.OSFeatures = [.. features];
    }

    /// <summary>RFC 3339 in UTC with whole seconds: stable text for the same instant.</summary>
    public static string FormatTimestamp(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void ApplyProcess(ContainerConfig container, ImageConfigEdits edits)
    {
        if (edits.Entrypoint is not null)
        {
            container.Entrypoint = edits.Entrypoint.Count > 0 ? [.. edits.Entrypoint] : null;
            // The base's Cmd were arguments for the base's entrypoint; they mean nothing to a new one.
            if (edits.Cmd is null) container.Cmd = null;
        }
        if (edits.Cmd is not null) container.Cmd = [.. edits.Cmd];
        if (edits.WorkingDir is not null) container.WorkingDir = edits.WorkingDir;
        if (edits.User is not null) container.User = edits.User;
        if (edits.StopSignal is not null) container.StopSignal = edits.StopSignal;
    }

    private static List<string>? MergeEnv(List<string>? baseEnv, IReadOnlyList<(string Name, string Value)> edits)
    {
        if (edits.Count == 0) return baseEnv;
        var merged = baseEnv is null ? new List<string>() : [.. baseEnv];
        foreach (var (name, value) in edits)
        {
            string entry = name + "=" + value;
            int existing = merged.FindIndex(e => NameOf(e) == name);
            if (existing >= 0) merged[existing] = entry;
            else merged.Add(entry);
        }
        return merged;
    }

    private static string NameOf(string entry)
    {
        int equals = entry.IndexOf('=');
        return equals < 0 ? entry : entry[..equals];
    }

    internal static void ValidateEnvName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('='))
        {
            throw new MabException(ErrorCode.InvalidEnvironmentVariable,
                $"'{name}' is not a valid environment variable name: a name must not be empty or contain '='. Fix the ContainerEnvironmentVariable item.");
        }
    }

    private static void ApplyPorts(ContainerConfig container, IReadOnlyList<string> ports)
    {
        if (ports.Count == 0) return;
        var exposed = container.ExposedPorts ?? new EmptyObjectSet();
        foreach (var port in ports) exposed.Add(ContainerPorts.Normalize(port));
        container.ExposedPorts = exposed;
    }

    private static void ApplyLabels(ContainerConfig container, IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count == 0) return;
        var merged = container.Labels ?? new StringMap();
        foreach (var (key, value) in labels)
        {
            merged[key] = value;
        }
        container.Labels = merged;
    }

    internal static void RequireKey(string key, string what)
    {
        if (string.IsNullOrWhiteSpace(key))
            throw new MabException(ErrorCode.InvalidLabel, $"A {what} has an empty name. Give every {what} a non-empty key.");
    }

    private static void AppendLayers(ImageConfig config, IReadOnlyList<NewLayer> layers, string created)
    {
        var history = config.History ?? [];
        foreach (var layer in layers)
        {
            config.RootFs.DiffIds.Add(layer.DiffId);
            history.Add(new HistoryEntry { Created = created, CreatedBy = layer.CreatedBy, Comment = layer.Comment });
        }
        config.History = history.Count == 0 ? null : history;
    }
}
