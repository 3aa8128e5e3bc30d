namespace MultiArch.Build.Registry.Auth;

/// <summary>
/// A user name and password, or an identity (refresh) token, for one registry. Its
/// <see cref="ToString"/> never shows the secret, so it is safe in a log line.
/// </summary>
public sealed class RegistryCredential
{
    public RegistryCredential(string? userName, string? password, string? identityToken, string source)
    {
        UserName = userName;
        Password = password;
        IdentityToken = identityToken;
        Source = source;
    }

    public string? UserName { get; }
    public string? Password { get; }

    /// <summary>An OAuth2 refresh token (Docker's <c>identitytoken</c>), used instead of the password.</summary>
    public string? IdentityToken { get; }

    /// <summary>Where the credential came from, for logs ("environment", "~/.docker/config.json", "docker-credential-pass").</summary>
    public string Source { get; }

    public bool HasPassword => UserName is not null && Password is not null;

    public string BasicParameter() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{UserName}:{Password}"));

    public override string ToString() => $"credentials for '{UserName ?? "<token>"}' from {Source}";
}

/// <summary>Whether credentials are wanted for reading (base images) or writing (the pushed image).</summary>
public enum CredentialPurpose
{
    Pull,
    Push,
}
