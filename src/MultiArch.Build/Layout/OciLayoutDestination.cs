using System.Runtime.ExceptionServices;
using System.Text.Json;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Layout;

/// <summary>
/// Writes images into an OCI image layout directory. Order makes it crash-safe: layer and config blobs
/// first, then manifests, then the index blob, and <c>index.json</c> last through a rename. Whatever
/// point a failure stops at, <c>index.json</c> only names blobs that are complete. Writing into an
/// existing layout keeps its other entries and replaces the entry of the same ref name. A failed write
/// leaves the previous layout (its old <c>index.json</c>) or, for a new layout, nothing (see
/// <see cref="LayoutWriteScope"/>), and a file-system failure is a coded error that says what to do. An image's
/// referrers (SBOMs) are written after it and listed in <c>index.json</c> without a ref name, as tools that attach
/// artifacts to a layout list them, so a reader finds them by their <c>subject</c>.
/// </summary>
public sealed class OciLayoutDestination : IImageDestination
{
    /// <param name="imageName">The name (no tag) engines load the image under, e.g. <c>localhost/app</c> (<see cref="LoadedImageName"/>); null writes only ref names.</param>
    public OciLayoutDestination(string directory, string? imageName = null)
    {
        // No trailing separator: references are oci:<root>:<tag>, and bin/.../container-image/ would print as container-image/:tag.
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        ImageName = imageName;
        Errors = LayoutErrors.ForLayout(Root);
    }

    public string Root { get; }

    public string? ImageName { get; }

    /// <summary>How errors name what is written: this folder, or the archive a staging folder becomes.</summary>
    internal LayoutErrors Errors { get; init; }

    /// <summary>True once a write failed because a blob's source did (its error is passed on as it came).</summary>
    internal bool SourceFailed { get; private set; }

    public Task<DestinationResult> WriteIndexAsync(IndexArtifact index, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        ValidateTags(tags);
        return WriteAsync(index.Descriptor, tags, index.Images, async (store, counter) =>
        {
            foreach (var image in index.Images)
                await WriteImageContentAsync(store, image, counter, cancellationToken).ConfigureAwait(false);
            PutDocument(store, index.Descriptor, index.IndexBytes, counter);
        });
    }

    public Task<DestinationResult> WriteImageAsync(ImageArtifact image, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        ValidateTags(tags);
        return WriteAsync(image.Descriptor, tags, [image], (store, counter) => WriteImageContentAsync(store, image, counter, cancellationToken));
    }

    private async Task<DestinationResult> WriteAsync(Descriptor target, IReadOnlyList<string> tags, IReadOnlyList<ImageArtifact> images, Func<BlobStore, ByteCounter, Task> writeContent)
    {
        LayoutWriteScope? scope = null;
        bool prepared = false;
        try
        {
            scope = LayoutWriteScope.Begin(Root);
            var store = PrepareLayout(scope.IsNew);
            prepared = true;
            var counter = new ByteCounter();
            await writeContent(store, counter).ConfigureAwait(false);
            return Publish(target, tags, images.SelectMany(i => i.Referrers).ToList(), counter);
        }
        catch (Exception ex)
        {
            scope?.Undo();
            if (ex is SourceReadFailure { InnerException: { } cause })
            {
                SourceFailed = true;
                ExceptionDispatchInfo.Capture(cause).Throw();
            }
            if (!FileSystemFailure.Is(ex)) throw;
            throw prepared ? Errors.WriteFailed(ex, scope!.IsNew) : Errors.PathUnusable(ex);
        }
    }

    private static async Task WriteImageContentAsync(BlobStore store, ImageArtifact image, ByteCounter counter, CancellationToken cancellationToken)
    {
        foreach (var blob in image.Blobs)
            counter.Add(await store.PutAsync(blob.Descriptor, SourceReadFailure.Guard(blob.Source), cancellationToken).ConfigureAwait(false), blob.Descriptor.Size);
        PutDocument(store, image.Descriptor, image.ManifestBytes, counter);
        foreach (var referrer in image.Referrers)
            await WriteImageContentAsync(store, referrer, counter, cancellationToken).ConfigureAwait(false);
    }

    private static void PutDocument(BlobStore store, Descriptor descriptor, byte[] content, ByteCounter counter) =>
        counter.Add(store.Put(descriptor, content), content.Length);

    private DestinationResult Publish(Descriptor target, IReadOnlyList<string> tags, IReadOnlyList<ImageArtifact> referrers, ByteCounter counter)
    {
        var index = LayoutIndexFile.ReadOrEmpty(Root);
        LayoutIndexFile.AddReferrers(index, referrers.Select(r => Referrers.ListingOf(r.Descriptor, r.Manifest)));
        LayoutIndexFile.SetEntries(index, target, tags, ImageName);
        LayoutIndexFile.Write(Root, index);
        IReadOnlyList<string> references = tags.Count == 0
            ? [$"oci:{Root}@{target.Digest}"]
            : tags.Select(tag => $"oci:{Root}:{tag}").ToList();
        return new DestinationResult(references, counter.Written, counter.Skipped);
    }

    private static void ValidateTags(IReadOnlyList<string> tags)
    {
        foreach (var tag in tags) OciLayoutFormat.ValidateRefName(tag);
    }

    /// <summary>Creates the layout, or checks that an existing folder is one this writer may add to.</summary>
    /// <param name="isNew">Whether the folder was missing or empty when the write began (<see cref="LayoutWriteScope.IsNew"/>).</param>
    private BlobStore PrepareLayout(bool isNew)
    {
        // A file standing at Root makes this throw, and WriteAsync reports it as the path being unusable.
        Directory.CreateDirectory(Root);
        string layoutFile = Path.Combine(Root, OciLayoutFormat.LayoutFileName);
        if (File.Exists(layoutFile))
        {
            CheckLayoutVersion(layoutFile);
        }
        else
        {
            if (!isNew)
            {
                throw new MabException(ErrorCode.NotAnOciLayout,
                    $"'{Root}' is not empty and is not an OCI image layout (it has no {OciLayoutFormat.LayoutFileName} file). Choose an empty or new folder, or an existing layout.");
            }
            AtomicFile.Write(layoutFile, OciLayoutFormat.LayoutFileContent);
        }
        return new BlobStore(Path.Combine(Root, OciLayoutFormat.BlobsFolderName));
    }

    internal static void CheckLayoutVersion(string layoutFile)
    {
        string? version = null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(layoutFile));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("imageLayoutVersion", out var value)
                && value.ValueKind == JsonValueKind.String)
                version = value.GetString();
        }
        catch (JsonException)
        {
            version = null;
        }
        if (version != OciLayoutFormat.Version)
        {
            throw new MabException(ErrorCode.NotAnOciLayout,
                $"'{layoutFile}' does not declare imageLayoutVersion {OciLayoutFormat.Version}. Only OCI image layout {OciLayoutFormat.Version} is supported; use a layout written by a current OCI tool.");
        }
    }

    private sealed class ByteCounter
    {
        public long Written;
        public long Skipped;

        public void Add(bool written, long bytes)
        {
            if (written) Written += bytes;
            else Skipped += bytes;
        }
    }
}
