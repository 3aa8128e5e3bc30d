using MultiArch.Build.Diagnostics;
using MultiArch.Build.Registry;

namespace MultiArch.Build.Tests.Registry;

public class RegistryOptionsTests
{
    [Fact]
    public void InsecureRegistryListTakesEverySeparator()
    {
        Assert.Equal(["a:5000", "b", "[::1]:5001", "c.example"], RegistryOptions.ParseRegistryList(" a:5000;b,[::1]:5001 c.example\n"));
        Assert.Empty(RegistryOptions.ParseRegistryList(null));
        var options = RegistryOptions.ForBuild("r1;r2", NullBuildLog.Instance, "push.example");
        Assert.Equal(["r1", "r2"], options.InsecureRegistries);
        Assert.Equal(["push.example"], options.TargetRegistries);
        Assert.Empty(RegistryOptions.ForBuild(null, NullBuildLog.Instance, null).TargetRegistries!);
        Assert.Same(NullBuildLog.Instance, options.Log);
    }
}
