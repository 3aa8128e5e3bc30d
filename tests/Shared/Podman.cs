namespace MultiArch.Build.Testing;

/// <summary>
/// Runs images with podman, an independent runtime, pulled fresh from the test registry with no network inside the
/// container. Each run removes the image it pulled afterwards, so a test session does not fill podman's storage.
/// </summary>
public static class Podman
{
    /// <summary>
    /// <c>podman run --rm --pull=always --net=none --tls-verify=false [--platform p] [options] reference [arguments]</c>;
    /// what it printed and how it exited, whatever that was.
    /// </summary>
    public static ProcessResult Run(string reference, string? platform = null, IReadOnlyList<string>? options = null, IReadOnlyList<string>? arguments = null)
    {
        try
        {
            return ProcessRunner.Run("podman",
            [
                "run", "--rm", "--pull=always", "--net=none", "--tls-verify=false",
                .. platform is null ? [] : new[] { "--platform", platform },
                .. options ?? [],
                reference,
                .. arguments ?? [],
            ]);
        }
        finally
        {
            ProcessRunner.Run("podman", ["rmi", "--force", reference]);
        }
    }
}
