using System.Runtime.InteropServices;

string greeting = Environment.GetEnvironmentVariable("GREETING") ?? "Hello";
Console.WriteLine($"{greeting} from MultiArch.Build: {RuntimeInformation.OSDescription.Split(' ')[0]} {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}");
