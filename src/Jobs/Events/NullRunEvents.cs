namespace WeightShare.Jobs.Events;

/// <summary>The default until a host registers its own: runs go on with nobody listening.</summary>
public sealed class NullRunEvents : IRunEvents
{
    public ValueTask GenerationCompletedAsync(GenerationCompleted generation, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask StatusChangedAsync(RunStatusChanged status, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask MergeStepAsync(MergeStepCompleted mergeStep, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ProgressAsync(RunProgress progress, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
