using TorchSharp;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// A run's data on the evaluation device: the validation split the search sees, the test split that only reports, the
/// calibration split carved from what validation leaves, and what the run's metric compares with on each (the uploaded
/// model's predictions or outputs). Built once per run; the teacher (the uploaded model's outputs on the calibration
/// split) is kept once asked for.
/// </summary>
public sealed class EvaluationSplits : IDisposable
{
    /// <summary>The most bytes of reference outputs an output-fidelity run keeps (validation and test together).</summary>
    public const long MaxReferenceBytes = 2L << 30;

    private torch.Tensor? _teacher;

    private EvaluationSplits((EvaluationSet Validation, EvaluationSet Test, EvaluationSet? Calibration) sets, int[] testIndices) =>
        (Validation, Test, Calibration, TestIndices) = (sets.Validation, sets.Test, sets.Calibration, testIndices);

    /// <summary>The split the search and refinement measure on.</summary>
    public EvaluationSet Validation { get; }

    /// <summary>The split the final figures come from; never seen by the search.</summary>
    public EvaluationSet Test { get; }

    /// <summary>The calibration split, or null when the run does not calibrate.</summary>
    public EvaluationSet? Calibration { get; }

    /// <summary>Which samples of the dataset the test split holds, ascending: what an outside check must measure on.</summary>
    public int[] TestIndices { get; }

    /// <summary>What the metric compares with on the validation split.</summary>
    public MetricTarget ValidationTarget { get; private set; } = null!;

    /// <summary>What the metric compares with on the test split.</summary>
    public MetricTarget TestTarget { get; private set; } = null!;

    /// <summary>
    /// Splits <paramref name="data"/> by the seed (class-balanced validation; calibration carved from what validation
    /// leaves by its own seed, so validation stays as without calibration), puts the splits on
    /// <paramref name="device"/>, checks that <paramref name="model"/> takes one batch and keeps what
    /// <paramref name="metric"/> compares with. With <paramref name="raceOrder"/> the validation samples are held in
    /// class-interleaved order (<see cref="DatasetSplitter.InterleaveByClass"/>), so that every chunk a racing
    /// evaluation measures is class-balanced; otherwise ascending, as runs without racing always had them.
    /// </summary>
    public static EvaluationSplits Create(ModelBackend model, LabelledDataset data, MetricDefinition metric, int validationSamples, int calibrationSamples, int seed, torch.Device device, int batchSize, bool raceOrder = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(metric);
        // Without labels every sample is of one class to the splitter: a plain random split by the seed.
        var split = DatasetSplitter.SplitBalanced(data.Labels, Math.Max(1, data.Classes), validationSamples, seed);
        var testIndices = split.TestIndices;
        int[] calibrationIndices = [];
        if (calibrationSamples > 0)
        {
            var carve = DatasetSplitter.SplitBalanced(testIndices.Select(i => data.Labels[i]).ToArray(), Math.Max(1, data.Classes), calibrationSamples, seed + 7919);
            calibrationIndices = carve.ValidationIndices.Select(i => testIndices[i]).ToArray();
            testIndices = carve.TestIndices.Select(i => testIndices[i]).ToArray();
        }
        EvaluationSet? validation = null, test = null, calibration = null;
        try
        {
            var validationIndices = raceOrder
                ? DatasetSplitter.InterleaveByClass(split.ValidationIndices, data.Labels, Math.Max(1, data.Classes), seed)
                : split.ValidationIndices;
            validation = data.Subset(validationIndices, device, batchSize);
            test = data.Subset(testIndices, device, batchSize);
            calibration = calibrationIndices.Length > 0 ? data.Subset(calibrationIndices, device, batchSize) : null;
            if (metric.NeedsClassScores)
            {
                model.CheckTakes(validation, checkClasses: metric.ChecksLabelClasses);
            }
            var splits = new EvaluationSplits((validation, test, calibration), testIndices);
            try
            {
                splits.ValidationTarget = splits.Target(model, metric, validation);
                splits.TestTarget = splits.Target(model, metric, test);
                return splits;
            }
            catch
            {
                splits.Dispose();
                throw;
            }
        }
        catch
        {
            validation?.Dispose();
            test?.Dispose();
            calibration?.Dispose();
            throw;
        }
    }

    /// <summary>The uploaded model's outputs on the calibration split, computed once with <paramref name="uploaded"/> (the model as uploaded).</summary>
    internal torch.Tensor Teacher(ModelBackend uploaded, CancellationToken cancellationToken) =>
        _teacher ??= uploaded.Outputs(Calibration ?? throw new InvalidOperationException("The run has no calibration split."), cancellationToken);

    /// <summary>
    /// What <paramref name="metric"/> compares with on <paramref name="set"/>. A classifier's predictions are kept
    /// whenever there are labels too, so every evaluation pairs its outcomes with the uploaded model's.
    /// </summary>
    private MetricTarget Target(ModelBackend model, MetricDefinition metric, EvaluationSet set)
    {
        switch (metric.Reference)
        {
            case MetricReference.Predictions:
            case MetricReference.None when metric.NeedsClassScores && set.Classes > 0:
                var (predictions, classes) = model.Predictions(set, CancellationToken.None);
                return new MetricTarget(set.Labels, set.Classes, predictions, classes);
            case MetricReference.Outputs:
                CheckReferenceFits(model, set);
                return new MetricTarget(set.Labels, set.Classes, Outputs: model.Outputs(set, CancellationToken.None));
            default:
                return new MetricTarget(set.Labels, set.Classes);
        }
    }

    // The outputs are kept for the whole run: refuse what would not fit, measured on two samples first.
    private void CheckReferenceFits(ModelBackend model, EvaluationSet set)
    {
        if (!ReferenceEquals(set, Validation))
        {
            return;
        }
        using var scope = torch.NewDisposeScope();
        var count = Math.Min(2, Validation.Count);
        var head = Validation.Batch(0, count);
        using var probe = new EvaluationSet(head.cpu().data<float>().ToArray(), new int[count], Validation.SampleShape, 0, head.device);
        CheckReferenceFits(model, probe, Validation.Count + Test.Count);
    }

    /// <summary>Refuses an output-fidelity run whose reference outputs on <paramref name="samples"/> samples would not fit, from the outputs on <paramref name="head"/>.</summary>
    internal static void CheckReferenceFits(ModelBackend model, EvaluationSet head, int samples)
    {
        using var outputs = model.Outputs(head, CancellationToken.None);
        var bytes = outputs.numel() / head.Count * 4L * samples;
        if (bytes > MaxReferenceBytes)
        {
            throw new InvalidInputException(
                $"outputFidelity keeps the uploaded model's outputs on validation and test: {bytes:N0} bytes here, more than the {MaxReferenceBytes:N0} allowed. Use fewer samples (a smaller dataset).");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Validation.Dispose();
        Test.Dispose();
        Calibration?.Dispose();
        _teacher?.Dispose();
        ValidationTarget?.Outputs?.Dispose();
        TestTarget?.Outputs?.Dispose();
    }
}
