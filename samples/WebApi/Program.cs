using System.Runtime.InteropServices;

var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();

app.MapGet("/", () => new { message = "Hello from MultiArch.Build", architecture = RuntimeInformation.ProcessArchitecture.ToString() });
app.MapGet("/healthz", () => Results.Ok("ok"));

app.Run();
