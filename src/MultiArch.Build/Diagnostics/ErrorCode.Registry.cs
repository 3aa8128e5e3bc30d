namespace MultiArch.Build.Diagnostics;

public static partial class ErrorCode
{
    /// <summary>An image reference is not <c>[registry/]repository[:tag][@digest]</c> in Docker's grammar.</summary>
    public const string InvalidImageReference = "MAB2001";
    /// <summary>A registry answered an error status, still after every retry.</summary>
    public const string RegistryRequestFailed = "MAB2002";
    /// <summary>A registry could not be reached (connection, TLS or timeout), still after every retry.</summary>
    public const string RegistryUnreachable = "MAB2003";
    /// <summary>A registry refused the credentials, or asked for credentials and none were found.</summary>
    public const string RegistryAuthenticationFailed = "MAB2004";
    /// <summary>A registry's token service answered something that is not a token.</summary>
    public const string RegistryTokenInvalid = "MAB2005";
    /// <summary>A manifest, index or config served by a registry does not hash to the digest it was asked for or announced.</summary>
    public const string RegistryDigestMismatch = "MAB2006";
    /// <summary>The base image (tag or digest, or a layout's ref name) does not exist in its registry or layout.</summary>
    public const string BaseImageNotFound = "MAB2007";
    /// <summary>The base image index (in a registry or a layout) lists no image for the wanted platform.</summary>
    public const string BasePlatformNotFound = "MAB2008";
    /// <summary>A Windows platform names a Windows version (<c>windows(10.0.20348)/amd64</c>) the base image has no image for, though it has other versions.</summary>
    public const string BaseWindowsVersionNotFound = "MAB2017";
    /// <summary>A single-platform base image is for a different platform than the one wanted.</summary>
    public const string BasePlatformMismatch = "MAB2009";
    /// <summary>A docker-credential helper failed or answered something that is not credentials.</summary>
    public const string CredentialHelperFailed = "MAB2010";
    /// <summary>A docker or containers auth file is not valid JSON of the expected shape.</summary>
    public const string AuthFileInvalid = "MAB2011";
    /// <summary>A registry broke the distribution protocol (no upload location, unexpected status or media type).</summary>
    public const string RegistryProtocolError = "MAB2012";
    /// <summary>The registry refused access to a repository with valid credentials: HTTP 403, or a 401 whose token has insufficient_scope.</summary>
    public const string RegistryAccessDenied = "MAB2013";
    /// <summary>The TLS handshake with a registry failed for good: its certificate is not trusted or names another host, or it does not speak TLS.</summary>
    public const string RegistryTlsFailed = "MAB2014";
    /// <summary>A registry's host name (or that of its storage or token service) does not resolve.</summary>
    public const string RegistryHostNotFound = "MAB2015";
    /// <summary>The registry refused the referrers tag (<c>sha256-&lt;hex&gt;</c>) that lists an image's SBOM, the tag holds something else, or another writer replaced it after every put.</summary>
    public const string ReferrersTagRefused = "MAB2016";
}
