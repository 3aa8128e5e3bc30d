namespace MultiArch.Build.Images;

/// <summary>
/// What a build changes in the base image's config and manifest. A null field keeps the base's value;
/// collections add to the base's. Immutable, so one plan can be shared by every platform's build.
/// </summary>
public sealed record ImageConfigEdits
{
    /// <summary>Replaces the base entrypoint. When set and <see cref="Cmd"/> is not, the base Cmd is dropped, as a Dockerfile ENTRYPOINT does.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    /// <summary>Variables merged by name: a name the base has is replaced in place, new names are appended in this order.</summary>
    public IReadOnlyList<(string Name, string Value)> Env { get; init; } = [];

    /// <summary>Ports to expose, <c>8080</c>, <c>8080/tcp</c>, <c>53/udp</c> or <c>9000/sctp</c>; added to the base's.</summary>
    public IReadOnlyList<string> Ports { get; init; } = [];

    /// <summary>Config labels, set over the base's.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Annotations written on the new manifest.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public string? StopSignal { get; init; }

    /// <summary>The config's and new history entries' <c>created</c> time; fixed so the same inputs give the same digest.</summary>
    public DateTimeOffset Created { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// Checks what the user gave (ports, variable names, label and annotation keys) with the rules the build applies, so
    /// the preflight can run them before anything is compiled and the image build once before it starts.
    /// </summary>
    public void Validate()
    {
        foreach (string port in Ports) ContainerPorts.Normalize(port);
        foreach (var (name, _) in Env) ImageConfigEditor.ValidateEnvName(name);
        foreach (string key in Labels.Keys) ImageConfigEditor.RequireKey(key, "label");
        foreach (string key in Annotations.Keys) ImageConfigEditor.RequireKey(key, "annotation");
    }
}
