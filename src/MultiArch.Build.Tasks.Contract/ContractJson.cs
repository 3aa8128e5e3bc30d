using System.Globalization;
using System.Text;

namespace MultiArch.Build.Tasks.Contract;

/// <summary>
/// The little JSON the wire needs, with no library that .NET Framework's MSBuild would have to load: objects
/// (<see cref="IDictionary{TKey, TValue}"/> of string to value), arrays (<see cref="IList{T}"/>), strings, integers,
/// booleans and null. Everything it writes is one line of ASCII (every other character escaped), so a record is a
/// line and the pipe's encoding never matters.
/// </summary>
public static class ContractJson
{
    public static string Write(object? value)
    {
        var text = new StringBuilder();
        WriteValue(text, value);
        return text.ToString();
    }

    public static object? Read(string json)
    {
        int position = 0;
        var value = ReadValue(json, ref position);
        SkipSpace(json, ref position);
        if (position != json.Length) throw Malformed(json, position);
        return value;
    }

    private static void WriteValue(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null: text.Append("null"); break;
            case string s: WriteString(text, s); break;
            case bool b: text.Append(b ? "true" : "false"); break;
            case int or long: text.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            case IDictionary<string, object?> map:
                text.Append('{');
                bool first = true;
                foreach (var pair in map)
                {
                    if (!first) text.Append(',');
                    first = false;
                    WriteString(text, pair.Key);
                    text.Append(':');
                    WriteValue(text, pair.Value);
                }
                text.Append('}');
                break;
            case IEnumerable<object?> list:
                text.Append('[');
                bool head = true;
                foreach (var element in list)
                {
                    if (!head) text.Append(',');
                    head = false;
                    WriteValue(text, element);
                }
                text.Append(']');
                break;
            default: throw new ArgumentException($"The contract has no JSON form for {value.GetType().Name}.");
        }
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7e) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }

    private static object? ReadValue(string json, ref int position)
    {
        SkipSpace(json, ref position);
        if (position >= json.Length) throw Malformed(json, position);
        switch (json[position])
        {
            case '{': return ReadObject(json, ref position);
            case '[': return ReadArray(json, ref position);
            case '"': return ReadString(json, ref position);
            case 't': return ReadWord(json, ref position, "true", true);
            case 'f': return ReadWord(json, ref position, "false", false);
            case 'n': return ReadWord(json, ref position, "null", null);
            default: return ReadInteger(json, ref position);
        }
    }

    private static Dictionary<string, object?> ReadObject(string json, ref int position)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        position++;
        SkipSpace(json, ref position);
        if (Peek(json, position) == '}') { position++; return map; }
        while (true)
        {
            SkipSpace(json, ref position);
            if (Peek(json, position) != '"') throw Malformed(json, position);
            string key = ReadString(json, ref position);
            SkipSpace(json, ref position);
            Expect(json, ref position, ':');
            map[key] = ReadValue(json, ref position);
            SkipSpace(json, ref position);
            if (Peek(json, position) == ',') { position++; continue; }
            Expect(json, ref position, '}');
            return map;
        }
    }

    private static List<object?> ReadArray(string json, ref int position)
    {
        var list = new List<object?>();
        position++;
        SkipSpace(json, ref position);
        if (Peek(json, position) == ']') { position++; return list; }
        while (true)
        {
            list.Add(ReadValue(json, ref position));
            SkipSpace(json, ref position);
            if (Peek(json, position) == ',') { position++; continue; }
            Expect(json, ref position, ']');
            return list;
        }
    }

    private static string ReadString(string json, ref int position)
    {
        var text = new StringBuilder();
        position++;
        while (true)
        {
            if (position >= json.Length) throw Malformed(json, position);
            char c = json[position++];
            if (c == '"') return text.ToString();
            if (c != '\\') { text.Append(c); continue; }
            if (position >= json.Length) throw Malformed(json, position);
            char escape = json[position++];
            switch (escape)
            {
                case '"': text.Append('"'); break;
                case '\\': text.Append('\\'); break;
                case '/': text.Append('/'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u':
                    if (position + 4 > json.Length) throw Malformed(json, position);
                    text.Append((char)int.Parse(json.Substring(position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    position += 4;
                    break;
                default: throw Malformed(json, position - 1);
            }
        }
    }

    private static object? ReadWord(string json, ref int position, string word, object? value)
    {
        if (string.CompareOrdinal(json, position, word, 0, word.Length) != 0) throw Malformed(json, position);
        position += word.Length;
        return value;
    }

    private static long ReadInteger(string json, ref int position)
    {
        int start = position;
        if (Peek(json, position) == '-') position++;
        while (position < json.Length && json[position] >= '0' && json[position] <= '9') position++;
        if (!long.TryParse(json.Substring(start, position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            throw Malformed(json, start);
        return value;
    }

    private static void Expect(string json, ref int position, char c)
    {
        if (Peek(json, position) != c) throw Malformed(json, position);
        position++;
    }

    private static char Peek(string json, int position) => position < json.Length ? json[position] : '\0';

    private static void SkipSpace(string json, ref int position)
    {
        while (position < json.Length && json[position] is ' ' or '\t' or '\r' or '\n') position++;
    }

    private static FormatException Malformed(string json, int position) =>
        new($"Not the contract's JSON at character {position}: {(json.Length > 200 ? json.Substring(0, 200) + "..." : json)}");
}
