namespace MultiArch.Build.Benchmarks;

/// <summary>The command line: one verb per measurement.</summary>
internal static class Commands
{
    private const string Usage = "usage: MultiArch.Build.Benchmarks layer <folder> [--out <dir>] [--image-root </app>] [--level optimal|fastest|smallest]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || args[0] != "layer")
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        try
        {
            var command = LayerCommand.Parse(args[1..]);
            await command.RunAsync(Console.Out, CancellationToken.None);
            return 0;
        }
        catch (ArgumentException e)
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
