using System.Text.RegularExpressions;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Publishing;

/// <summary>ContainerImageTags: separated by ';', ',' or whitespace (tags cannot hold any of them); each must match the tag grammar.</summary>
public static partial class ImageTags
{
    public static IReadOnlyList<string> ParseList(string? value)
    {
        var tags = (value ?? "").Split([';', ',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count == 0) tags.Add("latest");
        foreach (var tag in tags) Validate(tag);
        return tags;
    }

    public static void Validate(string tag)
    {
        if (!Grammar().IsMatch(tag))
            throw new MabException(ErrorCode.InvalidTag,
                $"'{tag}' is not a valid image tag. A tag is 1-128 characters of letters, digits, '_', '.' and '-', and cannot start with '.' or '-'.");
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex Grammar();
}
