using MultiArch.Build.Registry;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Publishing;

/// <summary>ContainerImageTags: separated by ';', ',' or whitespace (tags cannot hold any of them); each must match the tag grammar.</summary>
public static class ImageTags
{
    public static IReadOnlyList<string> ParseList(string? value)
    {
        var tags = ListValues.Split(value).Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count == 0) tags.Add("latest");
        foreach (var tag in tags) Validate(tag);
        return tags;
    }

    public static void Validate(string tag)
    {
        if (!ImageReference.IsValidTag(tag))
            throw new MabException(ErrorCode.InvalidTag,
                $"'{tag}' is not a valid image tag. A tag is 1-128 characters of letters, digits, '_', '.' and '-', and cannot start with '.' or '-'.");
    }
}
