using WeightShare.Engine.Pipeline;

namespace WeightShare.Jobs.Events;

/// <summary>How far a run is (0..1 overall) and a line a person can read; sent at most once per interval.</summary>
public sealed record RunProgress(string RunId, PipelinePhase Phase, double Fraction, string Message)
{
    /// <summary>Seconds the run still needs by the pipeline's measured estimate; null before anything is measured.</summary>
    public double? RemainingSeconds { get; init; }
}
