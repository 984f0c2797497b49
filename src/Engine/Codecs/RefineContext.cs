using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Codecs;

/// <summary>What a refinement may use: the validation error of a candidate, the run's tolerance, and a place to report steps.</summary>
/// <param name="ValidationError">1 - the run's validation metric for a candidate quantization (one pass over the validation split).</param>
/// <param name="Tolerance">How much the validation error may grow with one step and still be kept.</param>
/// <param name="Progress">Told after every accepted step, synchronously and in order.</param>
public sealed record RefineContext(
    Func<Quantization, CancellationToken, ValueTask<double>> ValidationError,
    double Tolerance,
    IProgress<RefineStep>? Progress)
{
    /// <summary>
    /// Output distillation of a codebook through the model on the run's calibration split: given the codebook and, per
    /// term, every shared weight's index into it (a weight is the sum of its terms' values: one term for scalar
    /// sharing, one per codebook for additive codes), the calibrated codebook and small parameters. Null when the run
    /// has no calibration split.
    /// </summary>
    public Func<int[][], float[], CancellationToken, CalibrationResult>? Calibrate { get; init; }

    /// <summary>Lines a person reads while a long refinement works (calibration steps).</summary>
    public IProgress<string>? Status { get; init; }

    /// <summary>
    /// The run's validation metric of a candidate (its plan and quantization) and its loss against the uploaded model
    /// with the 95 % interval (null for a metric that pairs no outcomes), measured on the whole validation split: what a
    /// calibrated point is accepted by. Null when the host offers only <see cref="ValidationError"/>.
    /// </summary>
    public Func<SolutionPlan, Quantization, CancellationToken, ValueTask<(double Metric, LossInterval? Loss)>>? MeasureValidation { get; init; }

    /// <summary>
    /// Measures a refined candidate for its <see cref="Refinement"/>: by <see cref="MeasureValidation"/> when the host
    /// offers it, else by <see cref="ValidationError"/> alone (no interval).
    /// </summary>
    public async ValueTask<Refinement> MeasureAsync(SolutionPlan plan, Quantization quantization, CancellationToken cancellationToken)
    {
        if (MeasureValidation is { } measure)
        {
            var (metric, loss) = await measure(plan, quantization, cancellationToken).ConfigureAwait(false);
            return new Refinement(plan, metric) { ValidationLoss = loss };
        }
        return new Refinement(plan, 1 - await ValidationError(quantization, cancellationToken).ConfigureAwait(false));
    }
}
