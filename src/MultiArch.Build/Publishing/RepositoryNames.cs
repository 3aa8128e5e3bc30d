using System.Text;
using System.Text.RegularExpressions;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Publishing;

/// <summary>
/// Makes a repository name out of what users write (often an AssemblyName such as <c>My.Cool_App</c>):
/// lowercase, with characters a repository path cannot hold turned into <c>-</c>.
/// </summary>
public static partial class RepositoryNames
{
    public static (string Name, bool Changed) Normalize(string value)
    {
        string input = value.Trim();
        var components = input.ToLowerInvariant().Split('/')
            .Select(NormalizeComponent)
            .Where(c => c.Length > 0)
            .ToList();
        string result = string.Join('/', components);
        if (result.Length == 0 || result.Length > 255 || !ImageReference.IsValidRepository(result))
            throw new MabException(ErrorCode.InvalidRepository,
                $"ContainerRepository '{value}' cannot be made into a repository name. Use lowercase letters, digits and separators (. _ - /), for example 'team/my-app'.");
        return (result, result != input);
    }

    private static string NormalizeComponent(string component)
    {
        var builder = new StringBuilder(component.Length);
        foreach (char c in component)
            builder.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-' ? c : '-');
        string text = builder.ToString();
        // Separators cannot start or end a component, nor be mixed or doubled (but '__' is allowed).
        text = SeparatorRun().Replace(text, m => m.Value == "__" || m.Value.All(c => c == '-') ? m.Value : "-");
        return text.Trim('.', '_', '-');
    }

    [GeneratedRegex("[._-]{2,}")]
    private static partial Regex SeparatorRun();
}
