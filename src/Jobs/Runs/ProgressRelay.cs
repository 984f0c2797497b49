using WeightShare.Engine.Pipeline;
using WeightShare.Jobs.Events;

namespace WeightShare.Jobs.Runs;

/// <summary>
/// Passes the pipeline's progress on as run events, synchronously and in order: every refinement step as a Merge
/// event, and progress ticks at most once per throttle interval (phase ends always).
/// </summary>
internal sealed class ProgressRelay(string runId, RunEventSender events, ProgressThrottle throttle) : IProgress<PipelineProgress>
{
    public void Report(PipelineProgress value)
    {
        if (value.Refine is { } refine)
        {
            var step = new MergeStepCompleted(runId, refine.Step.SharedValues, refine.Step.ValidationMetric)
            {
                Parameters = refine.Parameters,
            };
            events.Send(e => e.MergeStepAsync(step, CancellationToken.None));
        }
        if (throttle.Allow(value.PhaseEnd))
        {
            events.Send(e => e.ProgressAsync(new RunProgress(runId, value.Phase, value.Fraction, value.Message) { RemainingSeconds = value.Remaining?.TotalSeconds }, CancellationToken.None));
        }
    }
}
