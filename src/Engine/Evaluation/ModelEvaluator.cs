using WeightShare.Engine.Codecs;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// Measurement on data: a solution's weights are written into the model, which runs on the run's splits and is scored
/// by the run's metric. It restores the uploaded small parameters whenever a solution brings none of its own, so every
/// measurement and calibration starts from the model as uploaded.
/// </summary>
public sealed class ModelEvaluator : SolutionEvaluator
{
    private readonly ModelBackend _model;
    private readonly EvaluationSplits _splits;
    private readonly MetricDefinition _metric;
    private readonly SharedWeights _weights;
    private readonly string[] _sharedNames;
    private readonly string[] _smallNames;
    private readonly float[][] _smallOriginal;
    private bool _smallChanged;

    /// <summary>Measures <paramref name="model"/> on <paramref name="splits"/> with <paramref name="metric"/>; the evaluator owns both.</summary>
    /// <param name="model">The loaded model.</param>
    /// <param name="splits">The run's splits.</param>
    /// <param name="metric">The run's metric.</param>
    /// <param name="weights">The shared tensors and their uploaded values.</param>
    /// <param name="small">The unshared parameters a solution may tune.</param>
    public ModelEvaluator(ModelBackend model, EvaluationSplits splits, MetricDefinition metric, SharedWeights weights, IReadOnlyList<SharedTensor> small)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(small);
        _model = model;
        _splits = splits;
        _metric = metric;
        _weights = weights;
        _sharedNames = weights.Tensors.Select(t => t.Name).ToArray();
        _smallNames = small.Select(t => t.Name).ToArray();
        _smallOriginal = _smallNames.Select(name => model.ReadFlat([name])).ToArray();
    }

    /// <inheritdoc />
    public override int ValidationCount => _splits.Validation.Count;

    /// <inheritdoc />
    public override int TestCount => _splits.Test.Count;

    /// <inheritdoc />
    public override int CalibrationCount => _splits.Calibration?.Count ?? 0;

    /// <inheritdoc />
    public override IReadOnlyList<int> TestIndices => _splits.TestIndices;

    /// <inheritdoc />
    public override bool CanCalibrate => _model.HasAutograd && _splits.Calibration is not null;

    /// <inheritdoc />
    public override void Load(float[] weights, IReadOnlyDictionary<string, float[]>? small)
    {
        _model.WriteFlat(_sharedNames, weights);
        if (small is not null)
        {
            foreach (var (name, values) in small)
            {
                _model.WriteFlat([name], values);
            }
            _smallChanged = true;
        }
        else if (_smallChanged)
        {
            RestoreSmall();
        }
    }

    /// <inheritdoc />
    public override EvaluationResult MeasureValidation(CancellationToken cancellationToken) =>
        _model.Measure(_splits.Validation, _metric.Start(_splits.ValidationTarget), cancellationToken);

    /// <inheritdoc />
    public override EvaluationResult MeasureValidation(int chunk, Func<EvaluationResult, bool> enough, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enough);
        var set = _splits.Validation;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunk);
        var accumulator = _metric.Start(_splits.ValidationTarget);
        for (var start = 0; ; start += chunk)
        {
            var length = Math.Min(chunk, set.Count - start);
            var result = _model.Measure(set, accumulator, start, length, cancellationToken);
            if (start + length >= set.Count || enough(result))
            {
                return result;
            }
        }
    }

    /// <inheritdoc />
    public override EvaluationResult MeasureTest(CancellationToken cancellationToken) =>
        _model.Measure(_splits.Test, _metric.Start(_splits.TestTarget), cancellationToken);

    /// <inheritdoc />
    public override (EvaluationResult Validation, EvaluationResult Test) Baseline(CancellationToken cancellationToken)
    {
        // The uploaded model whole, whatever a calibrated solution left in it.
        _model.WriteFlat(_sharedNames, _weights.Values);
        RestoreSmall();
        return (MeasureValidation(cancellationToken), MeasureTest(cancellationToken));
    }

    /// <inheritdoc />
    public override CalibrationResult Calibrate(int[][] terms, float[] values, CalibrationOptions options, IProgress<int>? steps, CancellationToken cancellationToken)
    {
        var autograd = _model.Autograd;
        if (autograd is null || _splits.Calibration is null)
        {
            return base.Calibrate(terms, values, options, steps, cancellationToken);
        }
        // Every calibration starts from the uploaded small parameters, whatever an earlier one left in the model: a
        // resumed run must calibrate each point exactly as a straight run does.
        RestoreSmall();
        _model.WriteFlat(_sharedNames, _weights.Values);
        // The uploaded model's own outputs are what the compressed one is taught to give.
        var teacher = _splits.Teacher(_model, cancellationToken);
        var result = Calibrator.Run(autograd, _sharedNames, _smallNames, terms, values, _splits.Calibration, teacher, options, steps, cancellationToken);
        _smallChanged = true;
        return result;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _splits.Dispose();
            _model.Dispose();
        }
        base.Dispose(disposing);
    }

    private void RestoreSmall()
    {
        for (var i = 0; i < _smallNames.Length; i++)
        {
            _model.WriteFlat([_smallNames[i]], _smallOriginal[i]);
        }
        _smallChanged = false;
    }
}
