using System.Collections.Concurrent;
using MultiArch.Build.Images;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Sources;

/// <summary>
/// Opens the image sources a build step names: <c>oci:&lt;path&gt;[:&lt;ref&gt;]</c> is a layout directory or archive, anything
/// else a registry reference. One reader per reference and pin, so a base shared by several platforms is fetched once; the
/// layouts opened are closed (an archive's unpacked copy removed) on dispose.
/// </summary>
public sealed class ImageSources(RegistryClient pull) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ImageSourceReader>>> _open = new(StringComparer.Ordinal);

    /// <param name="pin">The digest a registry reference was fixed to earlier in the build; ignored for layouts and for references that carry a digest.</param>
    public Task<ImageSourceReader> OpenAsync(string reference, Digest? pin, CancellationToken cancellationToken) =>
        _open.GetOrAdd($"{reference}|{pin}", _ => new Lazy<Task<ImageSourceReader>>(() => CreateAsync(reference, pin, cancellationToken))).Value;

    private async Task<ImageSourceReader> CreateAsync(string reference, Digest? pin, CancellationToken cancellationToken)
    {
        IImageSource source = LayoutImageSource.Handles(reference)
            ? await LayoutImageSource.OpenAsync(reference, cancellationToken).ConfigureAwait(false)
            : new RegistryImageSource(pull, ImageReference.Parse(reference), pin);
        return new ImageSourceReader(source);
    }

    public void Dispose()
    {
        foreach (var opened in _open.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
            (opened.Value.Result.Source as IDisposable)?.Dispose();
        _open.Clear();
    }
}
