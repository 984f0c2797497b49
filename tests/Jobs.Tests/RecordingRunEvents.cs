using System.Collections.Concurrent;
using WeightShare.Jobs.Events;

namespace WeightShare.Jobs.Tests;

/// <summary>Keeps every event in arrival order; optional hooks let a test act after a given generation or progress line.</summary>
internal sealed class RecordingRunEvents : IRunEvents
{
    public ConcurrentQueue<object> All { get; } = new();

    public Func<GenerationCompleted, Task>? OnGeneration { get; set; }

    public Action<RunProgress>? OnProgress { get; set; }

    public IEnumerable<GenerationCompleted> Generations => All.OfType<GenerationCompleted>();

    public IEnumerable<RunStatusChanged> Statuses => All.OfType<RunStatusChanged>();

    public IEnumerable<RunProgress> Progress => All.OfType<RunProgress>();

    public async ValueTask GenerationCompletedAsync(GenerationCompleted generation, CancellationToken cancellationToken)
    {
        All.Enqueue(generation);
        if (OnGeneration is { } hook)
        {
            await hook(generation);
        }
    }

    public ValueTask StatusChangedAsync(RunStatusChanged status, CancellationToken cancellationToken)
    {
        All.Enqueue(status);
        return ValueTask.CompletedTask;
    }

    public ValueTask MergeStepAsync(MergeStepCompleted mergeStep, CancellationToken cancellationToken)
    {
        All.Enqueue(mergeStep);
        return ValueTask.CompletedTask;
    }

    public ValueTask ProgressAsync(RunProgress progress, CancellationToken cancellationToken)
    {
        All.Enqueue(progress);
        OnProgress?.Invoke(progress);
        return ValueTask.CompletedTask;
    }
}
