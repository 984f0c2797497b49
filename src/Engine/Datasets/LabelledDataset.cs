namespace WeightShare.Engine.Datasets;

/// <summary>Preprocessed samples, ready to become a tensor, with their labels.</summary>
/// <param name="Features">N x sample shape values, contiguous (N x C x H x W for images).</param>
/// <param name="Labels">The class of each sample.</param>
/// <param name="SampleShape">The shape of one sample after preprocessing.</param>
/// <param name="Classes">Number of classes.</param>
public sealed record LabelledDataset(float[] Features, int[] Labels, int[] SampleShape, int Classes)
{
    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The samples <paramref name="indices"/> name, in that order, with their labels.</summary>
    public LabelledDataset Pick(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var perSample = SampleShape.Aggregate(1, (product, dimension) => product * dimension);
        var features = new float[(long)indices.Count * perSample];
        var labels = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Array.Copy(Features, (long)indices[i] * perSample, features, (long)i * perSample, perSample);
            labels[i] = Labels[indices[i]];
        }
        return this with { Features = features, Labels = labels };
    }

    /// <summary>The samples <paramref name="indices"/> name as an evaluation set on <paramref name="device"/>; the caller disposes it.</summary>
    public Evaluation.EvaluationSet Subset(IReadOnlyList<int> indices, TorchSharp.torch.Device device, int batchSize = 256)
    {
        var picked = Pick(indices);
        return new Evaluation.EvaluationSet(picked.Features, picked.Labels, SampleShape, Classes, device, batchSize);
    }

    /// <summary>The smallest and largest feature: what the model will see, for a user to check the preprocessing against.</summary>
    public (float Min, float Max) Range()
    {
        if (Features.Length == 0)
        {
            return (0, 0);
        }
        var (min, max) = (Features[0], Features[0]);
        foreach (var value in Features)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        return (min, max);
    }
}
