using MultiArch.Build.Images;

namespace MultiArch.Build.Publishing;

/// <summary>
/// The checks of the container items (ports, environment variables, labels, annotations, the start command)
/// that the preflight runs before anything is compiled: the same rules the image build applies, so a typo
/// fails in a second with its code instead of after every platform was published.
/// </summary>
public static class ContainerItemsCheck
{
    public static void Check(ImageConfigEdits edits, ExecutionArgs execution)
    {
        foreach (string port in edits.Ports) ContainerPorts.Normalize(port);
        foreach (var (name, _) in edits.Env) ImageConfigEditor.ValidateEnvName(name);
        foreach (string key in edits.Labels.Keys) ImageConfigEditor.RequireKey(key, "label");
        foreach (string key in edits.Annotations.Keys) ImageConfigEditor.RequireKey(key, "annotation");
        execution.ProcessFor("linux", "/app/", null);
    }
}
