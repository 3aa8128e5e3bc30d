namespace MultiArch.Build.Tool;

/// <summary>What `multiarch` exits with; every verb's --help lists them, and so does the README.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The work failed with a coded error (error MABnnnn on stderr).</summary>
    public const int Failed = 1;
    /// <summary>The command line was wrong; nothing was read or sent.</summary>
    public const int Usage = 2;
    /// <summary>Ctrl+C (SIGINT) stopped it, the shell's 128 + 2.</summary>
    public const int Canceled = 130;

    public static IEnumerable<(string Code, string Meaning)> Described()
    {
        yield return ("0", "success");
        yield return ("1", "failed with a coded error, printed as 'error MABnnnn: ...' on stderr");
        yield return ("2", "usage error (bad or missing arguments); nothing was sent");
        yield return ("130", "canceled (Ctrl+C)");
    }
}
