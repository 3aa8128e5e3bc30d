using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Auth;

namespace MultiArch.Build.Tests.Registry;

/// <summary>Clients wired to a fake registry with the upload options a test sets (chunks, chunk size, parallel uploads).</summary>
internal static class UploadClient
{
    public static RegistryClient For(FakeRegistry registry, long? chunkedAbove = null, long? chunkSize = null, int parallel = 4,
        List<TimeSpan>? delays = null, IBuildLog? log = null, IReadOnlyDictionary<string, string>? environment = null, CredentialPurpose purpose = CredentialPurpose.Push)
    {
        var defaults = TestImages.Options(registry, delays, log, environment);
        return new RegistryClient(new RegistryOptions
        {
            Handler = defaults.Handler,
            Delay = defaults.Delay,
            Environment = defaults.Environment,
            Log = defaults.Log,
            RetryBaseDelay = defaults.RetryBaseDelay,
            ChunkedUploadThreshold = chunkedAbove,
            ChunkSize = chunkSize ?? defaults.ChunkSize,
            MaxParallelUploads = parallel,
        }, purpose);
    }
}
