using MultiArch.Build.Blobs;
using MultiArch.Build.Images;
using MultiArch.Build.Oci;

namespace MultiArch.Build.Tests.Layout;

/// <summary>Small real images: a scratch base plus one layer (LayerWriter) with an executable and a plain file.</summary>
public static class TestImages
{
    public static readonly Platform Amd64 = new() { OS = "linux", Architecture = "amd64" };
    public static readonly Platform Arm64 = new() { OS = "linux", Architecture = "arm64", Variant = "v8" };

    public static async Task<ImageArtifact> BuildAsync(BlobStore store, Platform platform, string marker)
    {
        var layer = await TestLayer.CreateAsync(store, "COPY app /app",
            new TestFile("app/", null, TestLayer.Executable),
            new TestFile("app/run.sh", "#!/bin/sh\necho " + marker + "\n", TestLayer.Executable),
            new TestFile("app/config.txt", "marker=" + marker + "\n", TestLayer.Plain));
        var edits = new ImageConfigEdits { Entrypoint = ["/app/run.sh"], WorkingDir = "/app", Env = [("MARKER", marker)] };
        return ImageBuilder.Build(Tests.Images.TestBases.Scratch(platform), [layer], edits);
    }

    public static async Task<IndexArtifact> BuildIndexAsync(BlobStore store, string marker) =>
        Index(await BuildAsync(store, Amd64, marker + "-amd64"), await BuildAsync(store, Arm64, marker + "-arm64"));

    /// <summary>An index over the given images, as a publish composes it.</summary>
    public static IndexArtifact Index(params ImageArtifact[] images) => IndexComposer.Compose([], images.Select(IndexEntry.Of).ToList());
}
