using System.Collections;
using System.Reflection;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace MultiArch.Build.NetFrameworkHarness;

/// <summary>
/// <c>harness TASK-ASSEMBLY TASK [Name=value]... [@Items=spec|meta=value|...]... [--cancel-after=SECONDS]</c>: runs the task
/// and prints every log event as <c>error CODE: text</c>, <c>warning CODE: text</c> or <c>message IMPORTANCE: text</c>,
/// then each output as <c>output Name=value</c> or <c>output Name: spec|meta=value...</c>. Exits 0 when Execute returned true.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var assembly = Assembly.LoadFrom(args[0]);
        var type = assembly.GetType("MultiArch.Build.Tasks." + args[1], throwOnError: true);
        var task = (ITask)Activator.CreateInstance(type);
        task.BuildEngine = new PrintingEngine();

        var items = new Dictionary<string, List<ITaskItem>>();
        double cancelAfter = -1;
        foreach (string arg in args.Skip(2))
        {
            if (arg.StartsWith("--cancel-after=", StringComparison.Ordinal)) { cancelAfter = double.Parse(arg.Substring("--cancel-after=".Length)); continue; }
            int equals = arg.IndexOf('=');
            string name = arg.Substring(0, equals), value = arg.Substring(equals + 1);
            if (name.StartsWith("@", StringComparison.Ordinal))
            {
                string[] parts = value.Split('|');
                var item = new TaskItem(parts[0]);
                foreach (string pair in parts.Skip(1)) item.SetMetadata(pair.Substring(0, pair.IndexOf('=')), pair.Substring(pair.IndexOf('=') + 1));
                if (!items.TryGetValue(name.Substring(1), out var list)) items[name.Substring(1)] = list = new List<ITaskItem>();
                list.Add(item);
                continue;
            }
            var property = type.GetProperty(name) ?? throw new ArgumentException($"{type.Name} has no parameter {name}.");
            property.SetValue(task, property.PropertyType == typeof(bool) ? (object)bool.Parse(value) : value);
        }
        foreach (var pair in items) type.GetProperty(pair.Key).SetValue(task, pair.Value.ToArray());

        if (cancelAfter >= 0)
        {
            new Thread(() =>
            {
                Thread.Sleep(TimeSpan.FromSeconds(cancelAfter));
                Console.WriteLine("harness: cancel");
                ((ICancelableTask)task).Cancel();
            }) { IsBackground = true }.Start();
        }

        bool ok = task.Execute();
        foreach (var output in type.GetProperties().Where(p => p.IsDefined(typeof(OutputAttribute))))
        {
            object value = output.GetValue(task);
            if (value is ITaskItem[] outputs)
                foreach (var item in outputs)
                    Console.WriteLine($"output {output.Name}: {item.ItemSpec}{string.Concat(item.CloneCustomMetadata().Keys.Cast<string>().OrderBy(k => k).Select(k => $"|{k}={item.GetMetadata(k)}"))}");
            else
                Console.WriteLine($"output {output.Name}={value}");
        }
        Console.WriteLine($"harness: Execute returned {ok}");
        return ok ? 0 : 1;
    }

    private sealed class PrintingEngine : IBuildEngine
    {
        private readonly object _gate = new object();
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "harness.proj";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();
        public void LogCustomEvent(CustomBuildEventArgs e) => Print($"custom: {e.Message}");
        public void LogErrorEvent(BuildErrorEventArgs e) => Print($"error {e.Code}: {e.Message}");
        public void LogWarningEvent(BuildWarningEventArgs e) => Print($"warning {e.Code}: {e.Message}");
        public void LogMessageEvent(BuildMessageEventArgs e) => Print($"message {e.Importance}: {e.Message}");

        private void Print(string line)
        {
            lock (_gate) Console.WriteLine(line);
        }
    }
}
