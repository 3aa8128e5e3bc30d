using MultiArch.Build.Images;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// One platform of a base image in a registry, picked the way a build picks it (<see cref="BaseImageSelection"/>), with
/// the exact bytes of its manifest and config read back from the same source so tests can compare them with other tools.
/// </summary>
internal sealed record PulledBase(BaseImage Base, byte[] ManifestBytes, byte[] ConfigBytes, Digest TopDigest)
{
    public static async Task<PulledBase> ReadAsync(RegistryClient pull, ImageReference reference, Platform platform)
    {
        var reader = new ImageSourceReader(new RegistryImageSource(pull, reference));
        var chosen = (await BaseImageSelection.SelectAsync(reader, [platform], CancellationToken.None))[0];
        var manifest = await reader.Source.TryGetDocumentAsync(new Descriptor { Digest = chosen.Origin!.ManifestDigest }, CancellationToken.None);
        byte[] config = await reader.Source.GetConfigAsync(chosen.Manifest.Config, CancellationToken.None);
        return new PulledBase(chosen, manifest!.Bytes, config, reader.TopDigest!.Value);
    }
}
