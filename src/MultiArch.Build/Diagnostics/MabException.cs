namespace MultiArch.Build.Diagnostics;

/// <summary>
/// The one exception type the core throws for problems a user can act on. It carries a stable
/// <c>MABnnnn</c> code; the MSBuild tasks turn it into a coded error at the task boundary.
/// </summary>
public sealed class MabException : Exception
{
    public MabException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        if (!ErrorCode.IsWellFormed(code))
            throw new ArgumentException($"'{code}' is not a MABnnnn code.", nameof(code));
        Code = code;
    }

    public string Code { get; }

    public override string ToString() => $"{Code}: {Message}";
}
