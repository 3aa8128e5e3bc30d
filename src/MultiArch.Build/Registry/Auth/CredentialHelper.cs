using System.Text.Json;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// Runs <c>docker-credential-&lt;name&gt; get</c> with the server URL on stdin and reads
/// <c>{"Username","Secret"}</c> back. A user name of <c>&lt;token&gt;</c> means the secret is an identity token.
/// </summary>
public sealed class CredentialHelper
{
    private readonly string _name;
    private readonly RegistryEnvironment _environment;

    public CredentialHelper(string name, RegistryEnvironment environment)
    {
        _name = name;
        _environment = environment;
    }

    public string Program => "docker-credential-" + _name;

    public async Task<RegistryCredential?> GetAsync(string serverUrl, CancellationToken cancellationToken)
    {
        string path = _environment.FindOnPath(Program)
            ?? throw new MabException(ErrorCode.CredentialHelperFailed, $"The credential helper '{Program}' named in the Docker config is not on PATH. Install it, or remove it from credHelpers/credsStore.");
        int exitCode;
        string output, error;
        try
        {
            (exitCode, output, error) = await _environment.RunAsync(path, "get", serverUrl, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new MabException(ErrorCode.CredentialHelperFailed, $"The credential helper '{Program}' did not answer within {_environment.HelperTimeout.TotalSeconds:0} s for {serverUrl} and was stopped. It may be waiting for a desktop prompt or a locked keychain: run '{Program} get' yourself, unlock it or log in again, or set {CredentialStore.PreferredUserNameVariable}/{CredentialStore.PreferredPasswordVariable}.");
        }
        if (exitCode != 0)
        {
            // Helpers say "credentials not found" with a non-zero exit; that means anonymous, not failure.
            if ((output + error).Contains("not found", StringComparison.OrdinalIgnoreCase)) return null;
            throw new MabException(ErrorCode.CredentialHelperFailed, $"The credential helper '{Program}' failed for {serverUrl} (exit code {exitCode}). Run '{Program} get' yourself to see why, or log in again.");
        }
        return Parse(output, serverUrl);
    }

    private RegistryCredential Parse(string output, string serverUrl)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            string? user = Read(document.RootElement, "Username");
            string? secret = Read(document.RootElement, "Secret");
            if (secret is null) throw new JsonException("no Secret");
            return user == "<token>"
                ? new RegistryCredential(null, null, secret, Program)
                : new RegistryCredential(user, secret, null, Program);
        }
        catch (JsonException)
        {
            // The output may hold a secret, so it is not quoted.
            throw new MabException(ErrorCode.CredentialHelperFailed, $"The credential helper '{Program}' did not answer {{\"Username\",\"Secret\"}} JSON for {serverUrl}. Check the helper, or log in again.");
        }
    }

    private static string? Read(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
