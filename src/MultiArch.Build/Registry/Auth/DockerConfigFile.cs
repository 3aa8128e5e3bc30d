using System.Text;
using System.Text.Json;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// A Docker <c>config.json</c> or containers <c>auth.json</c>: <c>auths</c> (base64 <c>auth</c>,
/// <c>identitytoken</c>), <c>credHelpers</c> per registry and a default <c>credsStore</c>.
/// Docker Hub is found under any of its names.
/// </summary>
public sealed class DockerConfigFile
{
    private readonly string _path;
    private readonly Dictionary<string, JsonElement> _auths;
    private readonly Dictionary<string, string> _helpers;
    private readonly string? _store;

    private DockerConfigFile(string path, Dictionary<string, JsonElement> auths, Dictionary<string, string> helpers, string? store)
    {
        _path = path;
        _auths = auths;
        _helpers = helpers;
        _store = store;
    }

    public static DockerConfigFile Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var auths = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("auths", out var authsElement) && authsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in authsElement.EnumerateObject()) auths[RegistryKey.Normalize(entry.Name)] = entry.Value.Clone();
            }
            var helpers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("credHelpers", out var helpersElement) && helpersElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in helpersElement.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.String) helpers[RegistryKey.Normalize(entry.Name)] = entry.Value.GetString()!;
                }
            }
            string? store = root.TryGetProperty("credsStore", out var storeElement) && storeElement.ValueKind == JsonValueKind.String ? storeElement.GetString() : null;
            return new DockerConfigFile(path, auths, helpers, string.IsNullOrEmpty(store) ? null : store);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new MabException(ErrorCode.AuthFileInvalid, $"The auth file '{path}' is not valid JSON ({ex.Message}). Fix or remove it, or log in again with 'docker login' or 'podman login'.", ex);
        }
    }

    public async Task<RegistryCredential?> FindAsync(string registry, RegistryEnvironment environment, CancellationToken cancellationToken)
    {
        string key = RegistryKey.Normalize(registry);
        if (_helpers.TryGetValue(key, out var helper))
            return await new CredentialHelper(helper, environment).GetAsync(RegistryKey.ServerUrl(registry), cancellationToken).ConfigureAwait(false);
        if (_auths.TryGetValue(key, out var entry) && FromEntry(entry) is { } credential) return credential;
        if (_store is not null)
            return await new CredentialHelper(_store, environment).GetAsync(RegistryKey.ServerUrl(registry), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private RegistryCredential? FromEntry(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object) return null;
        string? identityToken = String(entry, "identitytoken");
        string? user = String(entry, "username");
        string? password = String(entry, "password");
        if (String(entry, "auth") is { } auth)
        {
            string decoded;
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth)); }
            catch (FormatException ex)
            {
                throw new MabException(ErrorCode.AuthFileInvalid, $"An 'auth' entry in '{_path}' is not base64. Log in again to rewrite it.", ex);
            }
            int colon = decoded.IndexOf(':');
            if (colon < 0) throw new MabException(ErrorCode.AuthFileInvalid, $"An 'auth' entry in '{_path}' is not base64 of user:password. Log in again to rewrite it.");
            user = decoded[..colon];
            password = decoded[(colon + 1)..];
        }
        if (identityToken is not null) return new RegistryCredential(user, null, identityToken, _path);
        return user is not null && password is not null ? new RegistryCredential(user, password, null, _path) : null;
    }

    private static string? String(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
