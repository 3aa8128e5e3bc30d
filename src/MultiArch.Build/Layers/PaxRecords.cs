using System.Globalization;
using System.Text;

namespace MultiArch.Build.Layers;

/// <summary>
/// The body of a PAX extended header: records "<c>length key=value\n</c>", where length counts the
/// whole record including its own digits. Records are kept in key order so the bytes are stable.
/// </summary>
internal sealed class PaxRecords
{
    private readonly SortedDictionary<string, string> _records = new(StringComparer.Ordinal);

    public bool IsEmpty => _records.Count == 0;

    public void Add(string key, string value) => _records[key] = value;

    public void Add(string key, long value) => _records[key] = value.ToString(CultureInfo.InvariantCulture);

    public byte[] ToBytes()
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in _records)
            builder.Append(Record(key, value));
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    internal static string Record(string key, string value)
    {
        int body = 1 + Encoding.UTF8.GetByteCount(key) + 1 + Encoding.UTF8.GetByteCount(value) + 1;
        int digits = 1;
        while (CountDigits(body + digits) != digits) digits++;
        return string.Create(CultureInfo.InvariantCulture, $"{body + digits} {key}={value}\n");
    }

    private static int CountDigits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;
}
