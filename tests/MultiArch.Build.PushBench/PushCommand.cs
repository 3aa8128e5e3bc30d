using System.Diagnostics;
using MultiArch.Build.Registry;
using MultiArch.Build.Registry.Push;

namespace MultiArch.Build.PushBench;

/// <summary>Pushes an OCI layout's index to a registry with the MultiArch.Build client and prints what it did.</summary>
internal static class PushCommand
{
    public static async Task<int> RunAsync(string layout, string target, string[] options)
    {
        int parallel = options is ["--parallel", var n, ..] ? int.Parse(n) : new RegistryOptions().MaxParallelUploads;
        var reference = ImageReference.Parse(target);
        var clock = Stopwatch.StartNew();
        var index = LayoutIndex.Read(layout);
        using var client = new RegistryClient(new RegistryOptions { MaxParallelUploads = parallel });
        var result = await new RegistryDestination(client, reference).WriteIndexAsync(index, reference.Tag is null ? [] : [reference.Tag], CancellationToken.None);
        Console.WriteLine($"pushed {result.References[0]} in {clock.Elapsed.TotalSeconds:F2} s: {result.BytesWritten} bytes uploaded, {result.BytesSkipped} skipped");
        return 0;
    }
}
