using System.Globalization;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Images;

/// <summary>Parses port specs into the <c>ExposedPorts</c> key form <c>8080/tcp</c>.</summary>
internal static class ContainerPorts
{
    private static readonly string[] Protocols = ["tcp", "udp", "sctp"];

    public static string Normalize(string spec)
    {
        string trimmed = spec.Trim();
        int slash = trimmed.IndexOf('/');
        string number = slash < 0 ? trimmed : trimmed[..slash];
        string protocol = slash < 0 ? "tcp" : trimmed[(slash + 1)..].ToLowerInvariant();
        bool numberOk = number.Length is > 0 and <= 5
            && number.All(char.IsAsciiDigit)
            && int.Parse(number, CultureInfo.InvariantCulture) is >= 1 and <= 65535;
        if (!numberOk || !Protocols.Contains(protocol))
        {
            throw new MabException(ErrorCode.InvalidPort,
                $"'{spec}' is not a valid container port. Write a number from 1 to 65535, optionally followed by /tcp, /udp or /sctp (for example 8080 or 53/udp).");
        }
        return $"{int.Parse(number, CultureInfo.InvariantCulture)}/{protocol}";
    }
}
