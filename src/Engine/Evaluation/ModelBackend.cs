using TorchSharp;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// An evaluation backend: a loaded model whose shared weights can be read and replaced and whose outputs are
/// measured on an <see cref="EvaluationSet"/>. TorchScript runs through TorchSharp (<see cref="ScriptedModel"/>),
/// ONNX through ONNX Runtime (<see cref="OnnxModel"/>); what is measured (accuracy, agreement, output fidelity) is
/// the same code for both. Not thread-safe: one evaluation at a time.
/// </summary>
public abstract class ModelBackend : IDisposable
{
    /// <summary>The model's named tensors (for ONNX its initializers).</summary>
    public abstract IReadOnlyList<ModelTensor> Tensors { get; }

    /// <summary>
    /// The backend's gradients, so a codec may calibrate or fine-tune through it; null for a backend without autograd
    /// (ONNX Runtime here).
    /// </summary>
    internal virtual IAutogradModel? Autograd => null;

    /// <summary>True when the backend computes gradients (<see cref="Autograd"/>).</summary>
    public bool HasAutograd => Autograd is not null;

    /// <summary>Reads the current values of float tensors <paramref name="names"/>, concatenated in that order.</summary>
    public abstract float[] ReadFlat(IReadOnlyList<string> names);

    /// <summary>Overwrites tensors <paramref name="names"/> with consecutive slices of <paramref name="flat"/>.</summary>
    public abstract void WriteFlat(IReadOnlyList<string> names, ReadOnlySpan<float> flat);

    /// <inheritdoc />
    public abstract void Dispose();

    /// <summary>The model's output for one batch (on the set's device), as a tensor the caller disposes.</summary>
    protected abstract torch.Tensor Forward(torch.Tensor batch);

    /// <summary>Top-1 accuracy and macro-F1 of the model as it is now on <paramref name="set"/>'s labels; no autograd.</summary>
    public EvaluationResult Evaluate(EvaluationSet set, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Measure(set, new ClassificationAccumulator(set.Labels, set.Classes), cancellationToken);
    }

    /// <summary>Measures the model as it is now on <paramref name="set"/> with <paramref name="metric"/>'s accumulator; no autograd.</summary>
    public EvaluationResult Measure(EvaluationSet set, MetricAccumulator metric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        return Measure(set, metric, 0, set.Count, cancellationToken);
    }

    /// <summary>
    /// Adds samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of
    /// <paramref name="set"/> to <paramref name="metric"/>'s accumulator and gives its figures on every sample added so
    /// far; no autograd. Batches start at <paramref name="start"/>, so a range that starts and ends on whole batches
    /// runs exactly the batches a measurement of the whole set runs.
    /// </summary>
    public EvaluationResult Measure(EvaluationSet set, MetricAccumulator metric, int start, int length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, set.Count - start);
        using var inference = torch.inference_mode();
        var end = start + length;
        for (var first = start; first < end; first += set.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = Math.Min(set.BatchSize, end - first);
            using var scope = torch.NewDisposeScope();
            var output = Forward(set.Batch(first, batch));
            if (output.dim() == 0 || output.shape[0] != batch)
            {
                throw new InvalidInputException(
                    $"The model returned a tensor of shape [{string.Join(", ", output.shape)}] for a batch of {batch} samples; its first dimension must be the batch.");
            }
            metric.Add(output, first);
        }
        return metric.Result();
    }

    /// <summary>
    /// Runs the first samples of <paramref name="set"/> through the model and checks that it answers with one score per
    /// class: the quick test that a dataset fits a model, made before any long work starts.
    /// </summary>
    public void CheckTakes(EvaluationSet set, bool checkClasses = true)
    {
        using var inference = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var length = Math.Min(2, set.Count);
        var output = Forward(set.Batch(0, length));
        if (output.dim() != 2 || output.shape[0] != length)
        {
            throw new InvalidInputException(
                $"The model returned a tensor of shape [{string.Join(", ", output.shape)}] for {length} samples of shape [{string.Join(", ", set.SampleShape)}]; a classifier returns [batch, classes].");
        }
        if (checkClasses && output.shape[1] < set.Classes)
        {
            throw new InvalidInputException(
                $"The model scores {output.shape[1]} classes, but the dataset's labels run to {set.Classes - 1}.");
        }
    }

    /// <summary>The model's outputs for every sample of <paramref name="set"/>, without autograd: [samples, classes] on the device.</summary>
    internal torch.Tensor Outputs(EvaluationSet set, CancellationToken cancellationToken)
    {
        // No grad rather than inference mode: autograd may read these later (as calibration targets).
        using var noGrad = torch.no_grad();
        var parts = new List<torch.Tensor>();
        try
        {
            for (var start = 0; start < set.Count; start += set.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var batch = set.Batch(start, Math.Min(set.BatchSize, set.Count - start));
                parts.Add(Forward(batch));
            }
            return torch.cat(parts, 0);
        }
        finally
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }

    /// <summary>The uploaded model's top-1 prediction for every sample of <paramref name="set"/> and how many classes it scores.</summary>
    internal (int[] Predictions, int Classes) Predictions(EvaluationSet set, CancellationToken cancellationToken)
    {
        using var scope = torch.NewDisposeScope();
        var outputs = Outputs(set, cancellationToken);
        if (outputs.dim() != 2)
        {
            throw new InvalidInputException(
                $"The model returned shape [{string.Join(", ", outputs.shape)}]; agreement compares top-1 predictions of a classifier, which returns [batch, classes]. Use metric outputFidelity for other outputs.");
        }
        var predicted = outputs.argmax(1).to(torch.int32).cpu();
        return (predicted.data<int>().ToArray(), (int)outputs.shape[1]);
    }
}
