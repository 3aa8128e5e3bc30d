using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Tool;

/// <summary>
/// Turns whatever stopped a verb into coded errors, with the codes the MSBuild tasks use: the core's own
/// <see cref="MabException"/>s as they are, a local file failure as MAB3998 and anything else as MAB3999,
/// never a bare stack trace (that goes to -v detailed).
/// </summary>
internal static class ToolFailures
{
    public static IEnumerable<MabException> Coded(Exception failure, string verb) =>
        UncodedFailure.AllCoded(failure, $"multiarch {verb}", "the output of the same command run again with -v detailed");

    /// <summary>Whether the failure is the cancel the user asked for (Ctrl+C), however deep the core wrapped it.</summary>
    public static bool IsCancel(Exception failure, CancellationToken cancellationToken) => UncodedFailure.IsCancel(failure, cancellationToken);
}
