using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// Finds credentials for a registry, first source that has them wins:
/// <list type="number">
/// <item>environment, and only for the registries they are meant for (a password set for the push
/// registry is never sent to a base image's registry on another host or port):
/// for base images (<see cref="CredentialPurpose.Pull"/>) from any registry, <c>MULTIARCH_BASE_REGISTRY_USERNAME</c>/<c>_PASSWORD</c>,
/// then the SDK's <c>DOTNET_CONTAINER_PULL_REGISTRY_UNAME</c>/<c>_PWORD</c>; for the target registry (the
/// one pushed to, or inspected: <see cref="RegistryOptions.TargetRegistries"/>) <c>MULTIARCH_REGISTRY_USERNAME</c>/<c>_PASSWORD</c>,
/// then the SDK's <c>DOTNET_CONTAINER_PUSH_REGISTRY_UNAME</c>/<c>_PWORD</c> (pushes) and <c>DOTNET_CONTAINER_REGISTRY_UNAME</c>/<c>_PWORD</c>;</item>
/// <item><c>$REGISTRY_AUTH_FILE</c>;</item>
/// <item>podman's <c>$XDG_RUNTIME_DIR/containers/auth.json</c> (for root without XDG_RUNTIME_DIR, <c>/run/containers/0/auth.json</c>),
/// then <c>$XDG_CONFIG_HOME/containers/auth.json</c> (default <c>~/.config/containers/auth.json</c>);</item>
/// <item><c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.</item>
/// </list>
/// Each file is read the way Docker reads it: <c>credHelpers</c>, then <c>auths</c>, then <c>credsStore</c>.
/// MSBuild writes every <c>DOTNET_*</c> environment variable into binary logs (-bl), so a password in the
/// SDK's variable names ends up in any binlog of the build; the <c>MULTIARCH_*</c> names come first and do not.
/// </summary>
public sealed class CredentialStore
{
    public const string PreferredUserNameVariable = "MULTIARCH_REGISTRY_USERNAME";
    public const string PreferredPasswordVariable = "MULTIARCH_REGISTRY_PASSWORD";
    public const string UserNameVariable = "DOTNET_CONTAINER_REGISTRY_UNAME";
    public const string PasswordVariable = "DOTNET_CONTAINER_REGISTRY_PWORD";
    public const string PushUserNameVariable = "DOTNET_CONTAINER_PUSH_REGISTRY_UNAME";
    public const string PushPasswordVariable = "DOTNET_CONTAINER_PUSH_REGISTRY_PWORD";
    public const string PullUserNameVariable = "DOTNET_CONTAINER_PULL_REGISTRY_UNAME";
    public const string PullPasswordVariable = "DOTNET_CONTAINER_PULL_REGISTRY_PWORD";
    public const string BaseUserNameVariable = "MULTIARCH_BASE_REGISTRY_USERNAME";
    public const string BasePasswordVariable = "MULTIARCH_BASE_REGISTRY_PASSWORD";

    private readonly RegistryEnvironment _environment;
    private readonly IBuildLog _log;
    private readonly IReadOnlyList<string>? _targets;

    /// <param name="targetRegistries">The registries the MULTIARCH_REGISTRY_* variables are for; null: any registry.</param>
    public CredentialStore(RegistryEnvironment environment, IBuildLog log, IReadOnlyList<string>? targetRegistries = null)
    {
        _environment = environment;
        _log = log;
        _targets = targetRegistries?.Select(RegistryKey.Normalize).ToList();
    }

    /// <summary>The credentials for <paramref name="registry"/>, or null for anonymous access.</summary>
    public async Task<RegistryCredential?> FindAsync(string registry, CredentialPurpose purpose, CancellationToken cancellationToken)
    {
        var fromEnvironment = FromEnvironment(registry, purpose);
        if (fromEnvironment is not null) return Found(registry, fromEnvironment);
        foreach (string file in AuthFiles())
        {
            if (!File.Exists(file)) continue;
            var config = DockerConfigFile.Load(file);
            var credential = await config.FindAsync(registry, _environment, cancellationToken).ConfigureAwait(false);
            if (credential is not null) return Found(registry, credential);
        }
        _log.Write(BuildLogLevel.Debug, $"No credentials found for {registry}; using anonymous access.");
        return null;
    }

    private RegistryCredential? Found(string registry, RegistryCredential credential)
    {
        _log.Write(BuildLogLevel.Debug, $"Using {credential} for {registry}.");
        return credential;
    }

    private RegistryCredential? FromEnvironment(string registry, CredentialPurpose purpose)
    {
        var forBase = purpose == CredentialPurpose.Pull
            ? Pair(BaseUserNameVariable, BasePasswordVariable) ?? Pair(PullUserNameVariable, PullPasswordVariable)
            : null;
        if (forBase is not null) return forBase;
        if (_targets is not null && !_targets.Contains(RegistryKey.Normalize(registry))) return null;
        return Pair(PreferredUserNameVariable, PreferredPasswordVariable)
            ?? (purpose == CredentialPurpose.Push ? Pair(PushUserNameVariable, PushPasswordVariable) : null)
            ?? Pair(UserNameVariable, PasswordVariable);
    }

    private RegistryCredential? Pair(string userVariable, string passwordVariable)
    {
        string? user = _environment.Get(userVariable);
        string? password = _environment.Get(passwordVariable);
        return user is not null && password is not null
            ? new RegistryCredential(user, password, null, $"environment variables {userVariable}/{passwordVariable}")
            : null;
    }

    private IEnumerable<string> AuthFiles()
    {
        if (_environment.Get("REGISTRY_AUTH_FILE") is { } authFile) yield return authFile;
        if (_environment.Get("XDG_RUNTIME_DIR") is { } runtime) yield return Path.Combine(runtime, "containers", "auth.json");
        else if (_environment.IsRoot) yield return _environment.RootAuthPath; // where `podman login` as root writes without XDG_RUNTIME_DIR
        yield return Path.Combine(_environment.Get("XDG_CONFIG_HOME") ?? Path.Combine(_environment.HomeDirectory, ".config"), "containers", "auth.json");
        string dockerConfig = _environment.Get("DOCKER_CONFIG") ?? Path.Combine(_environment.HomeDirectory, ".docker");
        yield return Path.Combine(dockerConfig, "config.json");
    }
}
