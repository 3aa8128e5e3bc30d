using System.Collections.Concurrent;

namespace MultiArch.Build.Layers;

/// <summary>
/// The process's compression threads: one per core, up to <see cref="LayerWriterOptions.MaxDefaultCompressionThreads"/>,
/// shared by every layer being written and started the first time a job is queued. Layers written at once (one per
/// platform, say) take turns on them, so the thread count stays the same however many layers are in progress; each
/// <see cref="ParallelCompressionStream"/> bounds its own blocks in flight.
/// </summary>
/// <remarks>
/// Dedicated background threads, not the thread pool, so a writer blocked on them never starves the pool that the
/// file reads complete on, and a build that ends with a layer abandoned does not wait for them. Jobs run in the
/// order they are queued; a job must neither block nor throw.
/// </remarks>
internal static class CompressionWorkers
{
    private static readonly BlockingCollection<Action> Jobs = new(new ConcurrentQueue<Action>());
    private static int _started;

    /// <summary>How many threads compress at most, across all layers.</summary>
    public static int Count { get; } = Math.Min(Environment.ProcessorCount, LayerWriterOptions.MaxDefaultCompressionThreads);

    public static void Run(Action job)
    {
        if (Volatile.Read(ref _started) == 0) Start();
        Jobs.Add(job);
    }

    private static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) return;
        for (int i = 0; i < Count; i++)
            new Thread(Work) { IsBackground = true, Name = "Layer compression" }.Start();
    }

    private static void Work()
    {
        foreach (var job in Jobs.GetConsumingEnumerable()) job();
    }
}
