using System.Reflection;
using MultiArch.Build.Diagnostics;

namespace MultiArch.Build.Tests.Diagnostics;

public class ErrorCodeTests
{
    [Fact]
    public void CodesAreWellFormedAndUnique()
    {
        var codes = typeof(ErrorCode).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (Name: f.Name, Code: (string)f.GetRawConstantValue()!))
            .ToList();
        Assert.NotEmpty(codes);
        Assert.All(codes, c => Assert.True(ErrorCode.IsWellFormed(c.Code), $"{c.Name} = {c.Code}"));
        var duplicates = codes.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void ExceptionRefusesMalformedCodes()
    {
        Assert.Throws<ArgumentException>(() => new MabException("MAB12", "x"));
        Assert.Equal("MAB1001: boom", new MabException("MAB1001", "boom").ToString());
    }
}
