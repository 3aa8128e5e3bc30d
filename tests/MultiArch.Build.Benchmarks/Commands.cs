namespace MultiArch.Build.Benchmarks;

/// <summary>The command line: one verb per measurement.</summary>
internal static class Commands
{
    private const string Usage =
        "usage: MultiArch.Build.Benchmarks layer <folder> [--out <dir>] [--image-root </app>] [--level optimal|fastest|smallest]\n" +
        "             [--compression gzip|zstd] [--threads <n>]\n" +
        "       MultiArch.Build.Benchmarks generate <folder> <megabytes>";

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            switch (args)
            {
                case ["layer", _, ..]:
                    await LayerCommand.Parse(args[1..]).RunAsync(Console.Out, CancellationToken.None);
                    return 0;
                case ["generate", string folder, string megabytes]:
                    SampleTree.Generate(folder, int.Parse(megabytes, System.Globalization.CultureInfo.InvariantCulture), Console.Out);
                    return 0;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (MultiArch.Build.Diagnostics.MabException e)
        {
            Console.Error.WriteLine(e.ToString());
            return 1;
        }
    }
}
