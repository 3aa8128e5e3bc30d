using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Registry;

/// <summary>
/// Image references as people type them. CI systems hand out repository names with capitals (GitHub's
/// <c>github.repository</c> is <c>Owner/Repo</c>), and publish and merge lower them (MAB3101), so inspect and
/// the multiarch tool lower them too, with the same warning: the name then means the image those steps pushed. Any other
/// invalid character is an error, since rewriting it would point at a different image.
/// </summary>
public static class ImageReferenceInput
{
    /// <summary>The reference, and a warning when its repository had to be lowered.</summary>
    public sealed record Parsed(ImageReference Reference, string? Warning);

    /// <summary>Parses <paramref name="text"/>; an invalid reference is the core's coded error.</summary>
    public static Parsed Parse(string text)
    {
        if (ImageReference.TryParse(text, out var exact)) return new Parsed(exact, null);
        var lowered = Lowered(text);
        // Nothing to lower, or lowering does not help: report the reference as it was written.
        if (lowered is null || !ImageReference.TryParse(lowered, out var reference)) return new Parsed(ImageReference.Parse(text), null);
        return new Parsed(reference,
            $"Image reference '{text}' has capital letters in its name; using '{reference}', since repository names are lowercase (publish and merge lower them the same way).");
    }

    /// <summary>The parsed reference or null, with no error: for checks that leave reporting a bad reference to <see cref="Parse"/>.</summary>
    public static Parsed? TryParse(string text)
    {
        try
        {
            return Parse(text);
        }
        catch (MabException)
        {
            return null;
        }
    }

    /// <summary>The text with its name (registry and repository) lowered and its tag and digest kept, or null when nothing changes.</summary>
    private static string? Lowered(string text)
    {
        int at = text.IndexOf('@');
        string name = at >= 0 ? text[..at] : text;
        // A ':' after the last '/' (and after an IPv6 address's ']') starts the tag; a registry's :port comes before them.
        int colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/') && colon > name.LastIndexOf(']')) name = name[..colon];
        string lowered = name.ToLowerInvariant();
        return lowered == name ? null : lowered + text[name.Length..];
    }
}
