using Microsoft.Extensions.Logging;
using WeightShare.Engine.Search;
using WeightShare.Jobs.Events;

namespace WeightShare.Jobs.Runs;

/// <summary>
/// Passes the Engine's merge steps on as run events, synchronously and in order (Progress&lt;T&gt; would post them to
/// the thread pool, where they could overtake each other).
/// </summary>
internal sealed class MergeStepRelay(string runId, int k, IRunEvents events, ILogger logger) : IProgress<MergeStep>
{
    /// <summary>Validation metric of the last accepted partition, or null before the first step.</summary>
    public double? LastValidationMetric { get; private set; }

    public void Report(MergeStep value)
    {
        LastValidationMetric = 1 - value.ValidationError;
        try
        {
            events.MergeStepAsync(new MergeStepCompleted(runId, k, value.Groups, 1 - value.ValidationError), CancellationToken.None)
                .AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A merge step listener failed; the run goes on.");
        }
    }
}
