namespace WeightShare.Engine.Evaluation;

/// <summary>
/// How a run measures its solutions: a model run on data (<see cref="ModelEvaluator"/>) or, data-free, the weights
/// against the uploaded ones (<see cref="WeightEvaluator"/>). A solution's weights are loaded, then measured on a split.
/// </summary>
public abstract class SolutionEvaluator : IDisposable
{
    /// <summary>True when nothing runs on data: the metric is the weights' own fidelity, the same on both splits.</summary>
    public virtual bool DataFree => false;

    /// <summary>Samples in the validation split (0 data-free).</summary>
    public virtual int ValidationCount => 0;

    /// <summary>Samples in the test split (0 data-free).</summary>
    public virtual int TestCount => 0;

    /// <summary>Samples in the calibration split (0 when the run does not calibrate).</summary>
    public virtual int CalibrationCount => 0;

    /// <summary>Which samples of the dataset the test split holds, ascending (none data-free).</summary>
    public virtual IReadOnlyList<int> TestIndices => [];

    /// <summary>True when solutions can be calibrated here: a backend with autograd and a calibration split.</summary>
    public virtual bool CanCalibrate => false;

    /// <summary>Loads a solution: its shared weights in shared-vector order (<paramref name="weights"/>), and its tuned small parameters (null: the uploaded ones).</summary>
    public abstract void Load(float[] weights, IReadOnlyDictionary<string, float[]>? small);

    /// <summary>The loaded solution's figures on the validation split.</summary>
    public abstract EvaluationResult MeasureValidation(CancellationToken cancellationToken);

    /// <summary>
    /// The loaded solution's figures on the validation split measured <paramref name="chunk"/> samples at a time (in
    /// whole batches), asking <paramref name="enough"/> after every chunk but the last whether to go on: the figures on
    /// the samples measured so far (<see cref="EvaluationResult.Samples"/> says how many). An evaluator without data
    /// measures at once, as <see cref="MeasureValidation(CancellationToken)"/>.
    /// </summary>
    /// <param name="chunk">Samples per look; whole batches, so that every batch is one a full measurement runs too.</param>
    /// <param name="enough">Told the figures after each chunk; true stops the measurement there.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    public virtual EvaluationResult MeasureValidation(int chunk, Func<EvaluationResult, bool> enough, CancellationToken cancellationToken) =>
        MeasureValidation(cancellationToken);

    /// <summary>The loaded solution's figures on the test split.</summary>
    public abstract EvaluationResult MeasureTest(CancellationToken cancellationToken);

    /// <summary>The uploaded model's own figures on validation and test.</summary>
    public abstract (EvaluationResult Validation, EvaluationResult Test) Baseline(CancellationToken cancellationToken);

    /// <summary>
    /// Calibrates codebook <paramref name="values"/> (each weight the sum of its <paramref name="terms"/>' entries) and
    /// the small parameters against the uploaded model's outputs on the calibration split.
    /// </summary>
    public virtual CalibrationResult Calibrate(int[][] terms, float[] values, CalibrationOptions options, IProgress<int>? steps, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("Only a model with autograd and a calibration split calibrates.");

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what the evaluator holds.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
