using System.Diagnostics;
using MultiArch.Build.PushBench;

// push <layout-dir> <registry/repository:tag> [--parallel N]
// make-layout <layout-dir> <total-MiB>
return args switch
{
    ["push", var layout, var target, .. var rest] => await PushCommand.RunAsync(layout, target, rest),
    ["make-layout", var layout, var mib] => RandomLayout.Write(layout, int.Parse(mib)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: MultiArch.Build.PushBench push <oci-layout> <registry/repository:tag> [--parallel N]");
    Console.Error.WriteLine("       MultiArch.Build.PushBench make-layout <dir> <total-MiB>");
    return 2;
}
