namespace MultiArch.Build.Layers;

/// <summary>
/// Joins the CRC-32s (the gzip polynomial, RFC 1952) of consecutive pieces of data into the CRC-32
/// of the whole, without reading the data again. Each block of a parallel gzip layer is checksummed
/// where it is compressed; the member's trailer needs the checksum of all of them.
/// </summary>
/// <remarks>
/// A CRC is the data read as a polynomial over GF(2), reduced modulo the generator. Appending
/// <c>n</c> bytes to A multiplies A's polynomial by x^(8n), so
/// crc(A ‖ B) = crc(A) · x^(8·|B|) mod P  xor  crc(B); the initial and final inversions of the
/// standard CRC-32 cancel out in that sum. Values are kept bit-reflected, as the checksum itself is:
/// the top bit holds the coefficient of x^0.
/// </remarks>
internal static class Crc32
{
    // The generator x^32 + x^26 + … + 1, reflected, without its x^32 term.
    private const uint Polynomial = 0xEDB88320;

    // PowersOfX[k] = x^(2^k) mod P, so any x^m is the product of the entries for m's set bits.
    private static readonly uint[] PowersOfX = CreatePowersOfX();

    /// <summary>The CRC-32 of A followed by B, from A's and B's CRC-32 and B's length.</summary>
    public static uint Combine(uint first, uint second, long secondLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(secondLength);
        return Multiply(XToThePower(secondLength * 8), first) ^ second;
    }

    private static uint XToThePower(long exponent)
    {
        uint result = 1u << 31; // x^0
        for (int k = 0; exponent != 0; k++, exponent >>= 1)
        {
            if ((exponent & 1) != 0) result = Multiply(result, PowersOfX[k]);
        }
        return result;
    }

    // a · b mod P: walks a's coefficients from x^0 up while b is multiplied by x at each step.
    private static uint Multiply(uint a, uint b)
    {
        uint product = 0;
        for (uint bit = 1u << 31; bit != 0; bit >>= 1)
        {
            if ((a & bit) != 0) product ^= b;
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }
        return product;
    }

    private static uint[] CreatePowersOfX()
    {
        var powers = new uint[64];
        powers[0] = 1u << 30; // x^1
        for (int k = 1; k < powers.Length; k++) powers[k] = Multiply(powers[k - 1], powers[k - 1]);
        return powers;
    }
}
