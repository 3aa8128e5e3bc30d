using System.Text;
using MultiArch.Build.Runner;
using MultiArch.Build.Tasks.Contract;

// The runner: one task's work per process. The request is the first line of stdin; stdin then stays open, and its end
// (the task's cancel, or a build that died) cancels the work. Log lines and the result go to stdout, one JSON record a
// line (TaskWire); anything else that writes to the console is sent to stderr, so stdout carries records only.
var protocol = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
Console.SetOut(Console.Error);
var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));

string? line = input.ReadLine();
if (string.IsNullOrWhiteSpace(line))
{
    Console.Error.WriteLine("MultiArch.Build.Runner runs the work of a MultiArch.Build task: it reads one request line on stdin. The package's tasks start it; it has no command line.");
    return 2;
}

TaskRequest request;
try
{
    request = TaskWire.ReadRequest(line);
}
catch (FormatException failure)
{
    Console.Error.WriteLine(failure.Message);
    return 2;
}

// Not disposed: the watcher may still cancel it while the process ends.
var cancellation = new CancellationTokenSource();
var watcher = new Thread(() =>
{
    try
    {
        while (input.ReadLine() is not null) { }
    }
    catch (IOException) { }
    cancellation.Cancel();
}) { IsBackground = true, Name = "stdin watcher" };
watcher.Start();

var gate = new object();
void Send(string record)
{
    lock (gate) protocol.WriteLine(record);
}

var result = await TaskExecution.RunAsync(request, entry => Send(TaskWire.LogLine(entry)), cancellation.Token).ConfigureAwait(false);
Send(TaskWire.ResultLine(result));
return result.Succeeded ? 0 : 1;
