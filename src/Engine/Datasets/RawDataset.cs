namespace WeightShare.Engine.Datasets;

/// <summary>Samples as the file holds them (before preprocessing), with their labels.</summary>
/// <param name="Format">Where they came from.</param>
/// <param name="Samples">N x sample shape values, contiguous, in the file's units (for example 0..255 pixels).</param>
/// <param name="Labels">The class of each sample, 0-based.</param>
/// <param name="SampleShape">The shape of one sample: [C, H, W] for images, [F] for feature vectors.</param>
/// <param name="Classes">Largest label + 1; 0 for a dataset without labels (inputs only; every label then 0).</param>
public sealed record RawDataset(DatasetFormat Format, float[] Samples, int[] Labels, int[] SampleShape, int Classes)
{
    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>True when the file gave labels (y); without them only agreement and output fidelity can be measured.</summary>
    public bool IsLabelled => Classes > 0;

    /// <summary>Builds a dataset of inputs without labels, after checking that samples and shape agree.</summary>
    public static RawDataset CreateUnlabelled(DatasetFormat format, float[] samples, int count, int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(sampleShape);
        CheckSamples(samples, count, sampleShape);
        return new RawDataset(format, samples, new int[count], sampleShape, 0);
    }

    /// <summary>Builds a dataset after checking that samples, labels and shape agree.</summary>
    public static RawDataset Create(DatasetFormat format, float[] samples, int[] labels, int[] sampleShape)
    {
        CheckSamples(samples, labels.Length, sampleShape);
        var max = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= MaxClasses)
            {
                throw new InvalidInputException($"Sample {i} has label {labels[i]}; labels are class numbers in [0, {MaxClasses}).");
            }
            max = Math.Max(max, labels[i]);
        }
        if (labels.AsSpan().IndexOfAnyExcept(labels[0]) < 0)
        {
            throw new InvalidInputException(
                $"Every one of the {labels.Length} samples has label {labels[0]}: accuracy on a single class says nothing about a classifier; send samples of at least two classes.");
        }
        return new RawDataset(format, samples, labels, sampleShape, max + 1);
    }

    private static void CheckSamples(float[] samples, int count, int[] sampleShape)
    {
        if (count == 0)
        {
            throw new InvalidInputException("The dataset holds no samples.");
        }
        var perSample = sampleShape.Aggregate(1L, (product, dimension) => product * dimension);
        if (perSample <= 0 || samples.LongLength != perSample * count)
        {
            throw new InvalidInputException(
                $"The dataset holds {samples.LongLength} values for {count} samples of shape [{string.Join(", ", sampleShape)}].");
        }
        var nonFinite = FirstNonFinite(samples);
        if (nonFinite >= 0)
        {
            throw new InvalidInputException(
                $"Sample {nonFinite / perSample} holds {samples[nonFinite].ToString(System.Globalization.CultureInfo.InvariantCulture)} at value {nonFinite % perSample} of its {perSample}: a dataset must hold finite numbers only (no NaN or infinity).");
        }
    }

    /// <summary>The most classes a dataset may have.</summary>
    public const int MaxClasses = 100_000;

    /// <summary>The index of the first NaN or infinite value, or -1 when every value is finite.</summary>
    internal static long FirstNonFinite(float[] values)
    {
        for (long i = 0; i < values.LongLength; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }
        return -1;
    }
}
