namespace MultiArch.Build.Diagnostics;

/// <summary>
/// Stable error codes. Each area keeps its codes in its own partial file (ErrorCode.Area.cs)
/// and its own range, so codes never move once released:
/// MAB1000-1099 OCI model, MAB1100-1199 platforms, MAB1200-1299 layers, MAB1300-1399 images,
/// MAB1400-1499 layout, MAB2000-2999 registry, MAB3000-3999 MSBuild integration,
/// MAB4000-4999 index tooling.
/// </summary>
public static partial class ErrorCode
{
    public static bool IsWellFormed(string code) =>
        code.Length == 7 && code.StartsWith("MAB", StringComparison.Ordinal) && code.Skip(3).All(char.IsAsciiDigit);
}
