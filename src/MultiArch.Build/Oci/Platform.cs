using System.Text.Json.Serialization;

namespace MultiArch.Build.Oci;

/// <summary>
/// An OCI platform as it is written in an index or config. Parsing, normalizing and matching live in
/// <c>MultiArch.Build.Platforms</c>; this type is only the data.
/// </summary>
public sealed class Platform : IEquatable<Platform>
{
    [JsonPropertyName("architecture")]
    public string Architecture { get; set; } = "";

    [JsonPropertyName("os")]
    public string OS { get; set; } = "";

    [JsonPropertyName("os.version")]
    public string? OSVersion { get; set; }

    [JsonPropertyName("os.features")]
    public List<string>? OSFeatures { get; set; }

    [JsonPropertyName("variant")]
    public string? Variant { get; set; }

    /// <summary>Fields other specs or vendors added; kept so a round trip loses nothing.</summary>
    [JsonExtensionData]
    public Dictionary<string, System.Text.Json.JsonElement>? Extra { get; set; }

    public Platform Clone() => new()
    {
        Architecture = Architecture,
        OS = OS,
        OSVersion = OSVersion,
        OSFeatures = OSFeatures is null ? null : [.. OSFeatures],
        Variant = Variant,
        Extra = Extra is null ? null : new(Extra),
    };

    /// <summary><c>os[(version)]/arch[/variant]</c>, the form buildx and containerd print.</summary>
    public override string ToString()
    {
        string os = string.IsNullOrEmpty(OSVersion) ? OS : $"{OS}({OSVersion})";
        return string.IsNullOrEmpty(Variant) ? $"{os}/{Architecture}" : $"{os}/{Architecture}/{Variant}";
    }

    public bool Equals(Platform? other) =>
        other is not null
        && OS == other.OS
        && Architecture == other.Architecture
        && (Variant ?? "") == (other.Variant ?? "")
        && (OSVersion ?? "") == (other.OSVersion ?? "")
        && (OSFeatures ?? []).Order(StringComparer.Ordinal).SequenceEqual((other.OSFeatures ?? []).Order(StringComparer.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as Platform);

    public override int GetHashCode() => HashCode.Combine(OS, Architecture, Variant ?? "", OSVersion ?? "");
}
