namespace WeightShare.Engine.Pipeline;

/// <summary>A progress tick of a run.</summary>
/// <param name="Phase">The phase the tick comes from.</param>
/// <param name="Fraction">The whole run's progress, 0..1: elapsed time over elapsed plus the measured estimate of what is left.</param>
/// <param name="Message">A line a person can read.</param>
/// <param name="PhaseEnd">True for the tick that ends a phase; a host that throttles ticks lets these through.</param>
/// <param name="Refine">The refinement step this tick reports, in the refine phase.</param>
public sealed record PipelineProgress(PipelinePhase Phase, double Fraction, string Message, bool PhaseEnd = false, RefineProgress? Refine = null)
{
    /// <summary>The time the run still needs, estimated from what it has measured; null before the first measurement.</summary>
    public TimeSpan? Remaining { get; init; }
}
