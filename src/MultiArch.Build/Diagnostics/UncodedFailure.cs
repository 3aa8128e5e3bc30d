namespace MultiArch.Build.Diagnostics;

/// <summary>
/// The coded error for a failure the core did not code, the same for the MSBuild tasks and the multiarch tool: a local
/// file failure is MAB3998 with what to do about it, anything else MAB3999, reported as a bug. The message holds the
/// exception's type and message and its innermost cause's, never a stack trace (the host logs that where asked).
/// </summary>
public static class UncodedFailure
{
    /// <param name="step">Who failed, as the user knows it: a task's name, or <c>multiarch inspect</c>.</param>
    /// <param name="details">How to get the details for a bug report, e.g. "the output of the build run again with -v:diag".</param>
    public static MabException ToCoded(Exception failure, string step, string details)
    {
        string what = Describe(failure);
        if (FileSystemFailure.Is(failure))
            return new MabException(ErrorCode.FileSystemFailure, $"{step} could not read or write a file: {what} {FileSystemFailure.Advice(failure)}");
        return new MabException(ErrorCode.UnexpectedFailure,
            $"{step} failed unexpectedly: {what} This is a bug in MultiArch.Build: please report it with {details}, which holds the details.");
    }

    /// <summary>
    /// Every coded error in <paramref name="failure"/>: an aggregate's inner failures each, however deep, the core's own
    /// <see cref="MabException"/>s as they are, anything else through <see cref="ToCoded"/>.
    /// </summary>
    public static IEnumerable<MabException> AllCoded(Exception failure, string step, string details)
    {
        if (failure is AggregateException aggregate)
            return aggregate.Flatten().InnerExceptions.SelectMany(inner => AllCoded(inner, step, details));
        if (failure is MabException coded) return [coded];
        return [ToCoded(failure, step, details)];
    }

    /// <summary>Whether the failure is the cancel that was asked for (the build's, or Ctrl+C), however deep the core wrapped it.</summary>
    public static bool IsCancel(Exception failure, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested && failure switch
        {
            OperationCanceledException => true,
            AggregateException aggregate => aggregate.Flatten().InnerExceptions.All(inner => IsCancel(inner, cancellationToken)),
            _ => false,
        };

    private static string Describe(Exception failure)
    {
        var inner = failure;
        while (inner.InnerException is not null) inner = inner.InnerException;
        string text = $"{failure.GetType().Name}: {failure.Message}";
        if (inner != failure) text += $" ({inner.GetType().Name}: {inner.Message})";
        return text.EndsWith('.') ? text : text + ".";
    }
}
