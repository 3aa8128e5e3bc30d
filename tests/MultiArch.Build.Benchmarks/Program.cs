using MultiArch.Build.Benchmarks;

return await Commands.RunAsync(args);
