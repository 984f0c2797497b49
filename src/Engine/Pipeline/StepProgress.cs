namespace WeightShare.Engine.Pipeline;

/// <summary>What a stored step cost and how far the whole run is after it.</summary>
/// <param name="Elapsed">Wall time since the phase's previous stored step (or its start), to add to the phase's time.</param>
/// <param name="Progress">The run's progress over all phases, 0..1.</param>
public sealed record StepProgress(TimeSpan Elapsed, double Progress);
