using System.Collections;
using Microsoft.Build.Framework;

namespace MultiArch.Build.Tasks.Tests;

/// <summary>A build engine that keeps what a task logs, from any thread (the core logs from its upload workers).</summary>
internal sealed class RecordingEngine : IBuildEngine
{
    private readonly object _gate = new();
    private readonly List<BuildErrorEventArgs> _errors = [];
    private readonly List<BuildWarningEventArgs> _warnings = [];
    private readonly List<BuildMessageEventArgs> _messages = [];

    public List<BuildErrorEventArgs> Errors { get { lock (_gate) return [.. _errors]; } }
    public List<BuildWarningEventArgs> Warnings { get { lock (_gate) return [.. _warnings]; } }
    public List<BuildMessageEventArgs> Messages { get { lock (_gate) return [.. _messages]; } }

    /// <summary>Every message's text, in order.</summary>
    public List<string> Lines => Messages.Select(m => m.Message ?? "").ToList();

    public bool ContinueOnError => false;
    public int LineNumberOfTaskNode => 0;
    public int ColumnNumberOfTaskNode => 0;
    public string ProjectFileOfTaskNode => "test.proj";
    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();
    public void LogCustomEvent(CustomBuildEventArgs e) { }
    public void LogErrorEvent(BuildErrorEventArgs e) { lock (_gate) _errors.Add(e); }
    public void LogMessageEvent(BuildMessageEventArgs e) { lock (_gate) _messages.Add(e); }
    public void LogWarningEvent(BuildWarningEventArgs e) { lock (_gate) _warnings.Add(e); }
}
