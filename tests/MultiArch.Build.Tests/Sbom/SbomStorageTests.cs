using System.Text;
using System.Text.Json;
using MultiArch.Build.Blobs;
using MultiArch.Build.Diagnostics;
using MultiArch.Build.Images;
using MultiArch.Build.Layout;
using MultiArch.Build.Oci;
using MultiArch.Build.Publishing;
using MultiArch.Build.Registry.Push;
using MultiArch.Build.Sbom;
using MultiArch.Build.Testing;
using MultiArch.Build.Tests.Registry;
using static MultiArch.Build.Tests.Registry.TestImages;

namespace MultiArch.Build.Tests.Sbom;

/// <summary>Where SBOMs go: OCI 1.1 referrers in a registry (its API, or the referrers tag schema) and in a layout, or BuildKit's attestation entries.</summary>
public class SbomStorageTests
{
    private static readonly byte[] Spdx = """{"SPDXID":"SPDXRef-DOCUMENT","spdxVersion":"SPDX-2.3"}"""u8.ToArray();

    private static IndexArtifact WithSboms(IndexArtifact index) =>
        IndexComposer.Compose([], index.Images.Select(i => IndexEntry.Of(i.WithReferrers([SbomArtifacts.Referrer(Spdx, i.Descriptor, DateTimeOffset.UnixEpoch)]))).ToList());

    [Fact]
    public void TheReferrerIsAnSpdxArtifactWithTheEmptyConfigAndItsImageAsSubject()
    {
        var image = TwoPlatformIndex(new MemoryBlobSource(), seed: 3).Images[0];
        var referrer = SbomArtifacts.Referrer(Spdx, image.Descriptor, DateTimeOffset.UnixEpoch);
        var manifest = referrer.Manifest;
        Assert.Equal(("application/spdx+json", MediaTypes.OciManifest), (manifest.ArtifactType, manifest.MediaType));
        Assert.Equal(("application/vnd.oci.empty.v1+json", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", 2L),
            (manifest.Config.MediaType, manifest.Config.Digest.ToString(), manifest.Config.Size));
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal(("application/spdx+json", Digest.Compute(Spdx)), (layer.MediaType, layer.Digest));
        Assert.Equal((image.Descriptor.Digest, image.Descriptor.Size, image.Descriptor.MediaType), (manifest.Subject!.Digest, manifest.Subject.Size, manifest.Subject.MediaType));
        Assert.Null(manifest.Subject.Platform);
        Assert.Equal("1970-01-01T00:00:00Z", manifest.Annotations!["org.opencontainers.image.created"]);
    }

    [Fact]
    public async Task ARegistryWithoutTheReferrersApiGetsTheTagSchemaAndTheIndexDigestStays()
    {
        var registry = new FakeRegistry();
        var plain = TwoPlatformIndex(new MemoryBlobSource(), seed: 4);
        var index = WithSboms(plain);
        Assert.Equal(plain.Descriptor.Digest, index.Descriptor.Digest);
        using var client = Client(registry);
        var destination = new RegistryDestination(client, Repo("app"));

        await destination.WriteIndexAsync(index, ["1.0"], CancellationToken.None);

        foreach (var image in index.Images)
        {
            var referrer = Assert.Single(image.Referrers);
            Assert.True(registry.HasManifest("app", referrer.Descriptor.Digest));
            var tagged = registry.Tag("app", "sha256-" + image.Descriptor.Digest.Hex);
            Assert.NotNull(tagged);
            var listing = Assert.Single(OciJson.DeserializeIndex(registry.Manifest("app", tagged.Value).Bytes).Manifests);
            Assert.Equal((referrer.Descriptor.Digest, "application/spdx+json"), (listing.Digest, listing.ArtifactType));
            Assert.Equal("1970-01-01T00:00:00Z", listing.Annotations!["org.opencontainers.image.created"]);
        }
        // Children, then referrers and their tags, then the index's own tag last.
        var puts = registry.Requests.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("/manifests/")).Select(r => r.PathAndQuery).ToList();
        Assert.EndsWith("/manifests/1.0", puts[^1]);
        Assert.True(puts.FindIndex(p => p.Contains("/manifests/sha256-", StringComparison.Ordinal)) < puts.Count - 1);

        // The same publish again changes nothing: the referrers tag is read, found complete, and not put again.
        registry.Requests.Clear();
        var again = await destination.WriteIndexAsync(WithSboms(plain), ["1.0"], CancellationToken.None);
        Assert.Equal(0, again.BytesWritten);
        Assert.DoesNotContain(registry.Requests, r => r.Method == "PUT" && r.PathAndQuery.Contains("/manifests/sha256-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheReferrersAlreadyListedStay()
    {
        var registry = new FakeRegistry();
        var plain = TwoPlatformIndex(new MemoryBlobSource(), seed: 5);
        using var client = Client(registry);
        var destination = new RegistryDestination(client, Repo("app"));
        var subject = plain.Images[0];
        // Someone's signature, attached earlier with the same schema.
        var other = SbomArtifacts.Referrer("signature"u8.ToArray(), subject.Descriptor, DateTimeOffset.UnixEpoch);
        await destination.WriteImageAsync(subject.WithReferrers([other]), [], CancellationToken.None);

        await destination.WriteIndexAsync(WithSboms(plain), ["1.0"], CancellationToken.None);

        var tagged = registry.Tag("app", Referrers.TagFor(subject.Descriptor.Digest))!.Value;
        var listed = OciJson.DeserializeIndex(registry.Manifest("app", tagged).Bytes).Manifests.Select(m => m.Digest).ToList();
        Assert.Equal(2, listed.Count);
        Assert.Equal(other.Descriptor.Digest, listed[0]);
    }

    [Fact]
    public async Task ARegistryWithTheReferrersApiGetsNoTag()
    {
        var registry = new FakeRegistry { ReferrersApi = true };
        var index = WithSboms(TwoPlatformIndex(new MemoryBlobSource(), seed: 6));
        using var client = Client(registry);

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["1.0"], CancellationToken.None);

        Assert.All(index.Images, i => Assert.True(registry.HasManifest("app", i.Referrers[0].Descriptor.Digest)));
        Assert.Equal(1, registry.TagCount("app"));
    }

    [Fact]
    public async Task ARefusedReferrersTagIsACodedErrorAndNothingIsTagged()
    {
        var registry = new FakeRegistry { RefuseTagPrefix = "sha256-" };
        var index = WithSboms(TwoPlatformIndex(new MemoryBlobSource(), seed: 7));
        using var client = Client(registry);

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(client, Repo("app")).WriteIndexAsync(index, ["1.0"], CancellationToken.None));

        Assert.Equal(ErrorCode.ReferrersTagRefused, error.Code);
        Assert.Null(registry.Tag("app", "1.0"));
    }

    /// <summary>
    /// Another tool that read the referrers tag of <paramref name="subject"/> before our put (it was empty) and writes its own
    /// listing, a signature, right after our puts: after the first only, or after every one. Counts our puts of that tag.
    /// </summary>
    private sealed class ReplacingWriter
    {
        public ReplacingWriter(FakeRegistry registry, ImageArtifact subject, bool every)
        {
            string tag = Referrers.TagFor(subject.Descriptor.Digest);
            Signature = SbomArtifacts.Referrer("signature"u8.ToArray(), subject.Descriptor, DateTimeOffset.UnixEpoch);
            registry.PutManifest("app", MediaTypes.OciManifest, Signature.ManifestBytes);
            var theirs = OciJson.Serialize(Referrers.WithReferrer(null, Referrers.ListingOf(Signature.Descriptor, Signature.Manifest))!);
            registry.AfterRequest = request =>
            {
                if (request.Method != "PUT" || !request.PathAndQuery.EndsWith("/manifests/" + tag, StringComparison.Ordinal)) return;
                if (Puts++ == 0 || every) registry.PutManifest("app", MediaTypes.OciIndex, theirs, tag);
            };
        }

        public ImageArtifact Signature { get; }
        public int Puts { get; private set; }
    }

    [Fact]
    public async Task AWriterThatReplacesTheReferrersTagAfterOurPutLosesNothing()
    {
        var registry = new FakeRegistry();
        var plain = TwoPlatformIndex(new MemoryBlobSource(), seed: 11);
        var subject = plain.Images[0];
        var writer = new ReplacingWriter(registry, subject, every: false);
        using var client = Client(registry);

        await new RegistryDestination(client, Repo("app")).WriteIndexAsync(WithSboms(plain), ["1.0"], CancellationToken.None);

        var listed = OciJson.DeserializeIndex(registry.Manifest("app", registry.Tag("app", Referrers.TagFor(subject.Descriptor.Digest))!.Value).Bytes).Manifests.Select(m => m.Digest).ToList();
        Assert.Equal(2, writer.Puts); // ours, then ours again over theirs
        Assert.Contains(writer.Signature.Descriptor.Digest, listed);
        Assert.Contains(WithSboms(plain).Images[0].Referrers[0].Descriptor.Digest, listed);
        Assert.NotNull(registry.Tag("app", "1.0"));
    }

    [Fact]
    public async Task AReferrersTagReplacedAfterEveryPutIsACodedErrorAndNothingIsTagged()
    {
        var registry = new FakeRegistry();
        var plain = TwoPlatformIndex(new MemoryBlobSource(), seed: 12);
        var writer = new ReplacingWriter(registry, plain.Images[0], every: true);
        using var client = Client(registry);

        var error = await Assert.ThrowsAsync<MabException>(() => new RegistryDestination(client, Repo("app")).WriteIndexAsync(WithSboms(plain), ["1.0"], CancellationToken.None));

        Assert.Equal(ErrorCode.ReferrersTagRefused, error.Code);
        Assert.Contains("replaced by another writer", error.Message);
        Assert.Equal(ReferrerPusher.TagRounds, writer.Puts);
        Assert.Null(registry.Tag("app", "1.0"));
    }

    [Fact]
    public async Task APushByDigestPutsTheImageThenItsReferrerThenTheTags()
    {
        var registry = new FakeRegistry();
        var image = TwoPlatformIndex(new MemoryBlobSource(), seed: 8).Images[0];
        var referrer = SbomArtifacts.Referrer(Spdx, image.Descriptor, DateTimeOffset.UnixEpoch);
        using var client = Client(registry);

        await new RegistryDestination(client, Repo("app")).WriteImageAsync(image.WithReferrers([referrer]), ["x"], CancellationToken.None);

        var puts = registry.Requests.Where(r => r.Method == "PUT" && r.PathAndQuery.Contains("/manifests/")).Select(r => r.PathAndQuery[(r.PathAndQuery.IndexOf("/manifests/", StringComparison.Ordinal) + 11)..]).ToList();
        Assert.Equal([image.Descriptor.Digest.ToString(), referrer.Descriptor.Digest.ToString(), Referrers.TagFor(image.Descriptor.Digest), "x"], puts);
    }

    [Fact]
    public async Task ALayoutListsEachReferrerWithoutARefName()
    {
        using var folder = new TempFolder();
        var index = WithSboms(TwoPlatformIndex(new MemoryBlobSource(), seed: 9));

        await new OciLayoutDestination(folder.Path).WriteIndexAsync(index, ["1.0"], CancellationToken.None);
        await new OciLayoutDestination(folder.Path).WriteIndexAsync(index, ["1.0"], CancellationToken.None);

        var entries = OciJson.DeserializeIndex(File.ReadAllBytes(Path.Combine(folder.Path, "index.json"))).Manifests;
        Assert.Equal(3, entries.Count);
        var referrers = entries.Where(e => e.ArtifactType == "application/spdx+json").ToList();
        Assert.Equal(index.Images.Select(i => i.Referrers[0].Descriptor.Digest), referrers.Select(r => r.Digest));
        Assert.All(referrers, r => Assert.Null(LayoutIndexFile.RefNameOf(r)));
        foreach (var referrer in index.Images.Select(i => i.Referrers[0]))
        {
            Assert.True(File.Exists(Path.Combine(folder.Path, "blobs", "sha256", referrer.Descriptor.Digest.Hex)));
            Assert.All(referrer.Manifest.Layers.Append(referrer.Manifest.Config), b => Assert.True(File.Exists(Path.Combine(folder.Path, "blobs", "sha256", b.Digest.Hex))));
        }
        Assert.Equal(index.Descriptor.Digest, entries.Single(e => LayoutIndexFile.RefNameOf(e) == "1.0").Digest);
    }

    [Fact]
    public void TheIndexFormListsAnAttestationPerImageAfterTheImages()
    {
        var plain = TwoPlatformIndex(new MemoryBlobSource(), seed: 10);
        var attestations = plain.Images.Select(i => SbomArtifacts.Attestation(Spdx, i.Descriptor, "pkg:oci/app")).ToList();

        var index = IndexComposer.Compose([], [.. plain.Images.Select(IndexEntry.Of), .. attestations]);

        var entries = index.Index.Manifests;
        Assert.Equal(4, entries.Count);
        Assert.Equal(plain.Images.Select(i => i.Descriptor.Digest), entries.Take(2).Select(e => e.Digest));
        for (int i = 0; i < 2; i++)
        {
            var entry = entries[2 + i];
            Assert.Equal(("unknown", "unknown"), (entry.Platform!.OS, entry.Platform.Architecture));
            Assert.Equal("attestation-manifest", entry.Annotations!["vnd.docker.reference.type"]);
            Assert.Equal(plain.Images[i].Descriptor.Digest.ToString(), entry.Annotations["vnd.docker.reference.digest"]);
            var manifest = index.Images.Single(a => a.Descriptor.Digest == entry.Digest).Manifest;
            var layer = Assert.Single(manifest.Layers);
            Assert.Equal(("application/vnd.in-toto+json", "https://spdx.dev/Document"), (layer.MediaType, layer.Annotations!["in-toto.io/predicate-type"]));
        }
        var statementLayer = attestations[0].Image!.Blobs[1];
        using var statement = JsonDocument.Parse(ReadAll(statementLayer));
        Assert.Equal("https://in-toto.io/Statement/v1", statement.RootElement.GetProperty("_type").GetString());
        Assert.Equal("https://spdx.dev/Document", statement.RootElement.GetProperty("predicateType").GetString());
        Assert.Equal("SPDX-2.3", statement.RootElement.GetProperty("predicate").GetProperty("spdxVersion").GetString());
        Assert.Equal(plain.Images[0].Descriptor.Digest.Hex, statement.RootElement.GetProperty("subject")[0].GetProperty("digest").GetProperty("sha256").GetString());
    }

    [Theory]
    [InlineData("Index", "Docker", false, ErrorCode.SbomIndexNeedsOci)]
    [InlineData("index", null, true, ErrorCode.SbomIndexNeedsIndex)]
    [InlineData("attestations", null, false, ErrorCode.InvalidSbomStorage)]
    public void StorageThatCannotBeExpressedIsACodedError(string storage, string? format, bool pushByDigest, string code)
    {
        var error = Assert.Throws<MabException>(() => ContainerSettings.Check("app", "1.0", format, null, sbom: (true, storage, pushByDigest)));
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void ReferrersWorkForEveryFormatAndNoSbomMeansNoStorage()
    {
        Assert.Equal(SbomStorage.Referrers, ContainerSettings.Check("app", "1.0", "Docker", null, sbom: (true, "", true)).Sbom);
        Assert.Null(ContainerSettings.Check("app", "1.0", null, null, sbom: (false, "index", true)).Sbom);
    }

    private static byte[] ReadAll(BlobContent blob)
    {
        using var stream = blob.Source.OpenReadAsync(blob.Descriptor, CancellationToken.None).GetAwaiter().GetResult();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
