namespace WeightShare.Engine.Datasets;

/// <summary>Samples as the file holds them (before preprocessing), with their labels.</summary>
/// <param name="Format">Where they came from.</param>
/// <param name="Samples">N x sample shape values, contiguous, in the file's units (for example 0..255 pixels).</param>
/// <param name="Labels">The class of each sample, 0-based.</param>
/// <param name="SampleShape">The shape of one sample: [C, H, W] for images, [F] for feature vectors.</param>
/// <param name="Classes">Largest label + 1.</param>
public sealed record RawDataset(DatasetFormat Format, float[] Samples, int[] Labels, int[] SampleShape, int Classes)
{
    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Builds a dataset after checking that samples, labels and shape agree.</summary>
    public static RawDataset Create(DatasetFormat format, float[] samples, int[] labels, int[] sampleShape)
    {
        if (labels.Length == 0)
        {
            throw new InvalidInputException("The dataset holds no samples.");
        }
        var perSample = sampleShape.Aggregate(1L, (product, dimension) => product * dimension);
        if (perSample <= 0 || samples.LongLength != perSample * labels.Length)
        {
            throw new InvalidInputException(
                $"The dataset holds {samples.LongLength} values for {labels.Length} samples of shape [{string.Join(", ", sampleShape)}].");
        }
        var max = 0;
        foreach (var label in labels)
        {
            if (label < 0 || label >= MaxClasses)
            {
                throw new InvalidInputException($"Labels must lie in [0, {MaxClasses}); found {label}.");
            }
            max = Math.Max(max, label);
        }
        return new RawDataset(format, samples, labels, sampleShape, max + 1);
    }

    /// <summary>The most classes a dataset may have.</summary>
    public const int MaxClasses = 100_000;
}
