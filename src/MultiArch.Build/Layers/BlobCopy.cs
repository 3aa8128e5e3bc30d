using MultiArch.Build.Blobs;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layers;

/// <summary>Copies a blob between two stores on this machine, whole or not at all, without hashing it again: both are content-addressed.</summary>
internal static class BlobCopy
{
    public static void Into(BlobStore to, BlobStore from, Digest digest)
    {
        if (to.Contains(digest)) return;
        string target = to.PathFor(digest);
        string folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        // Beside its final name, then renamed (BlobStore.Commit): a reader never sees half a blob.
        string temp = Path.Combine(folder, ".tmp-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.Copy(from.PathFor(digest), temp);
            to.Commit(temp, digest);
        }
        catch
        {
            BlobStore.Abandon(temp);
            throw;
        }
    }
}
