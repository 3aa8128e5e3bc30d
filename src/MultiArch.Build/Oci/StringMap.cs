namespace MultiArch.Build.Oci;

/// <summary>
/// A string-to-string map (labels, annotations) that always serializes its keys in ordinal order,
/// so the same content gives the same bytes whatever order it was built in.
/// </summary>
public sealed class StringMap : SortedDictionary<string, string>
{
    public StringMap() : base(StringComparer.Ordinal) { }

    public StringMap(IEnumerable<KeyValuePair<string, string>> items) : this()
    {
        foreach (var (key, value) in items) this[key] = value;
    }
}

/// <summary>A set written as a JSON object whose values are <c>{}</c>, as ExposedPorts and Volumes are.</summary>
public sealed class EmptyObjectSet : SortedDictionary<string, EmptyObject>
{
    public EmptyObjectSet() : base(StringComparer.Ordinal) { }


    public void Add(string key) => this[key] = new EmptyObject();
}

/// <summary>The JSON value <c>{}</c>.</summary>
public sealed class EmptyObject { }
