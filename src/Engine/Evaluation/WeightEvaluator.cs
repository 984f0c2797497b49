using WeightShare.Engine.Codecs;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// Data-free measurement: no model runs; a solution's figure is its shared weights' signal-to-noise ratio against the
/// uploaded ones as the file stores them (<see cref="WeightFidelity"/>), the same for validation and test.
/// </summary>
/// <param name="uploaded">The uploaded shared weights.</param>
public sealed class WeightEvaluator(SharedWeights uploaded) : SolutionEvaluator
{
    private float[] _loaded = uploaded.Values;

    /// <inheritdoc />
    public override bool DataFree => true;

    /// <inheritdoc />
    public override void Load(float[] weights, IReadOnlyDictionary<string, float[]>? small) => _loaded = weights;

    /// <inheritdoc />
    public override EvaluationResult MeasureValidation(CancellationToken cancellationToken) =>
        WeightFidelity.Result(WeightFidelity.Decibels(uploaded.Values, _loaded, uploaded.Tensors));

    /// <inheritdoc />
    public override EvaluationResult MeasureTest(CancellationToken cancellationToken) => MeasureValidation(cancellationToken);

    /// <inheritdoc />
    public override (EvaluationResult Validation, EvaluationResult Test) Baseline(CancellationToken cancellationToken)
    {
        // The uploaded weights against themselves: lossless, the highest ratio.
        var whole = WeightFidelity.Result(WeightFidelity.MaxDecibels);
        return (whole, whole);
    }
}
