using TorchSharp;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// Preprocessed samples and labels held as one tensor on the evaluation device, cut into batches on demand.
/// Made once per run and reused by every fitness evaluation.
/// </summary>
public sealed class EvaluationSet : IDisposable
{
    private readonly torch.Tensor _features;

    /// <summary>Copies <paramref name="features"/> (N x sample shape, contiguous) to <paramref name="device"/>.</summary>
    public EvaluationSet(ReadOnlySpan<float> features, IReadOnlyList<int> labels, IReadOnlyList<int> sampleShape, int classes, torch.Device device, int batchSize = 256)
    {
        var perSample = sampleShape.Aggregate(1L, (product, dimension) => product * dimension);
        if (labels.Count == 0 || features.Length != perSample * labels.Count)
        {
            throw new InvalidInputException($"The evaluation set holds {features.Length} values for {labels.Count} samples of shape [{string.Join(", ", sampleShape)}].");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);

        var shape = new long[sampleShape.Count + 1];
        shape[0] = labels.Count;
        for (var i = 0; i < sampleShape.Count; i++)
        {
            shape[i + 1] = sampleShape[i];
        }
        using var cpu = torch.tensor(features.ToArray(), shape);
        _features = device.type == DeviceType.CPU ? cpu.clone() : cpu.to(device);
        Labels = labels.ToArray();
        SampleShape = sampleShape.ToArray();
        Classes = classes;
        BatchSize = batchSize;
    }

    /// <summary>The true class of each sample (in an agreement run, the uploaded model's prediction).</summary>
    public int[] Labels { get; }

    /// <summary>The shape of one sample, for example [1, 28, 28].</summary>
    public int[] SampleShape { get; }

    /// <summary>Number of classes the labels range over.</summary>
    public int Classes { get; }

    /// <summary>Samples per forward pass.</summary>
    public int BatchSize { get; }

    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The samples picked by <paramref name="indices"/>, in that order; the caller disposes it.</summary>
    internal torch.Tensor Select(torch.Tensor indices) => _features.index_select(0, indices);

    /// <summary>A view of samples [start, start + length); the caller disposes it.</summary>
    public torch.Tensor Batch(int start, int length) => _features.narrow(0, start, length);

    /// <inheritdoc />
    public void Dispose() => _features.Dispose();
}
