using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Registry;

/// <summary>How the registry client talks to registries. Every default suits a real push.</summary>
public sealed class RegistryOptions
{
    /// <summary>Registries (host or host:port) reached over plain HTTP. Loopback registries always are.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>
    /// Options for one build: the insecure registries from a ';', ',' or space separated list, the build's log, and the registry
    /// the build pushes to or inspects (null when it writes only a layout), which alone gets the MULTIARCH_REGISTRY_* credentials.
    /// </summary>
    public static RegistryOptions ForBuild(string? insecureRegistries, IBuildLog log, string? targetRegistry) =>
        new() { InsecureRegistries = ParseRegistryList(insecureRegistries), Log = log, TargetRegistries = string.IsNullOrWhiteSpace(targetRegistry) ? [] : [targetRegistry.Trim()] };

    /// <summary>
    /// The registries that the credentials in MULTIARCH_REGISTRY_USERNAME/PASSWORD (and the SDK's push and shared
    /// variables) are sent to; null sends them to any registry that asks. Base images' registries use their own variables.
    /// </summary>
    public IReadOnlyList<string>? TargetRegistries { get; init; }

    /// <summary>Splits a list of registries (ContainerInsecureRegistries, DOTNET_CONTAINER_INSECURE_REGISTRIES).</summary>
    public static IReadOnlyList<string> ParseRegistryList(string? value) =>
        ListValues.Split(value);

    /// <summary>How many blobs upload at once.</summary>
    public int MaxParallelUploads { get; init; } = 4;

    /// <summary>
    /// Blobs larger than this upload in chunks (PATCH with Content-Range) instead of one PUT with the whole body. Null, the
    /// default, uploads every blob whole, which every registry accepts (several cloud registries refuse or break chunks);
    /// a blob whose whole upload breaks mid-body twice goes on in chunks anyway, so the next break resumes.
    /// </summary>
    public long? ChunkedUploadThreshold { get; init; }

    /// <summary>
    /// The size of one chunk of a chunked upload: raised to the registry's OCI-Chunk-Min-Length, and halved for the rest
    /// of the push when the registry refuses a chunk as too large (GHCR takes at most 4 MiB per request).
    /// </summary>
    public long ChunkSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long one HTTP attempt may take: the request and its headers, and the whole body of a document; a streamed blob body is bounded by <see cref="StallTimeout"/> instead.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long opening a connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a response body may go without a byte before the read counts as broken: a document is fetched again, a
    /// blob resumes where it stopped. Zero or infinite turns the check off.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Tries per request, the first included, for connection errors, 408, 429, 500, 502, 503 and 504. With the
    /// default delays the nine waits add up to 28–56 s, enough to ride out a registry that restarts (about 20 s).
    /// </summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The first retry's delay; each later one doubles up to <see cref="MaxRetryDelay"/>, and each is between half and all of that.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Waits between retries; tests replace it to run fast and to see the delays asked for.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>Where environment variables, auth files and credential helpers are read from.</summary>
    public RegistryEnvironment Environment { get; init; } = RegistryEnvironment.Process;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public IBuildLog Log { get; init; } = NullBuildLog.Instance;

    /// <summary>The HTTP handler to send through; null makes a <see cref="SocketsHttpHandler"/>. Tests pass a fake registry.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>The comma- or semicolon-separated environment variable that adds insecure registries.</summary>
    public const string InsecureRegistriesVariable = "DOTNET_CONTAINER_INSECURE_REGISTRIES";
}
