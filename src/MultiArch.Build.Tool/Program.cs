using MultiArch.Build.Tool;

return await MultiarchCommand.RunAsync(args).ConfigureAwait(false);
