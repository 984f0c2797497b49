namespace WeightShare.Jobs.Events;

/// <summary>
/// What a run tells the world, each call made after the matching database commit. Web implements it (notifier and
/// hub). Generations and status changes are all delivered, in order; progress ticks are throttled. An exception
/// thrown here is logged and does not fail the run: listeners come and go, the run's state is in the database.
/// </summary>
public interface IRunEvents
{
    ValueTask GenerationCompletedAsync(GenerationCompleted generation, CancellationToken cancellationToken);

    ValueTask StatusChangedAsync(RunStatusChanged status, CancellationToken cancellationToken);

    ValueTask MergeStepAsync(MergeStepCompleted mergeStep, CancellationToken cancellationToken);

    ValueTask ProgressAsync(RunProgress progress, CancellationToken cancellationToken);
}
