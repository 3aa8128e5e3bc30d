using MultiArch.Build.Oci;

namespace MultiArch.Build.Registry.Push;

/// <summary>What happened to a blob during a push.</summary>
public enum BlobProgressState
{
    /// <summary>Bytes are being sent; <see cref="BlobProgress.BytesDone"/> grows.</summary>
    Uploading,
    /// <summary>The registry already had it in the target repository; nothing was sent.</summary>
    Skipped,
    /// <summary>The registry linked it from another repository; nothing was sent.</summary>
    Mounted,
    /// <summary>The upload finished and the registry accepted the digest.</summary>
    Uploaded,
}

/// <summary>One progress event for one blob.</summary>
public sealed record BlobProgress(Digest Digest, long BytesDone, long Size, BlobProgressState State);
