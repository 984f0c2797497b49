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
}
