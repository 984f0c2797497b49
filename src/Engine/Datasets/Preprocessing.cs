namespace WeightShare.Engine.Datasets;

/// <summary>
/// x' = (x * Scale - Mean[c]) / Std[c] for each channel c; a one-channel dataset is first replicated to
/// <see cref="Channels"/> channels when that is greater than one (api.md).
/// </summary>
public sealed record Preprocessing(double Scale = 1, double[]? Mean = null, double[]? Std = null, int Channels = 0)
{
    /// <summary>Leaves the values as they are.</summary>
    public static Preprocessing None { get; } = new();

    /// <summary>MNIST: pixels to [0, 1], then the training set's mean and deviation.</summary>
    public static Preprocessing Mnist { get; } = new(1 / 255.0, [0.1307], [0.3081]);

    /// <summary>Fashion-MNIST: pixels to [0, 1], then the training set's mean and deviation.</summary>
    public static Preprocessing FashionMnist { get; } = new(1 / 255.0, [0.2860], [0.3530]);

    /// <summary>CIFAR-10: pixels to [0, 1], then the training set's per-channel mean and deviation.</summary>
    public static Preprocessing Cifar { get; } = new(1 / 255.0, [0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616]);

    /// <summary>ImageNet: pixels to [0, 1], three channels, torchvision's mean and deviation.</summary>
    public static Preprocessing ImageNet { get; } = new(1 / 255.0, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], 3);

    /// <summary>Applies the preprocessing; settings that do not fit the data are an input error.</summary>
    public LabelledDataset Apply(RawDataset data)
    {
        var shape = data.SampleShape;
        var channels = shape.Length >= 2 ? shape[0] : 1;
        var replicate = channels == 1 && Channels > 1 && shape.Length >= 2;
        if (Channels > MaxChannels)
        {
            throw new InvalidInputException($"channels = {Channels} asks for more than the {MaxChannels} channels a replicated dataset may have.");
        }
        if (Channels > 1 && channels != 1 && channels != Channels)
        {
            throw new InvalidInputException($"The data has {channels} channels; channels = {Channels} can only replicate a one-channel dataset.");
        }
        var outChannels = replicate ? Channels : channels;
        var mean = PerChannel(Mean, outChannels, 0, "mean");
        var std = PerChannel(Std, outChannels, 1, "std");
        if (std.Any(s => !(s > 0)) || !double.IsFinite(Scale) || mean.Any(m => !double.IsFinite(m)))
        {
            throw new InvalidInputException("Preprocessing needs a finite scale and mean, and every std greater than zero.");
        }

        var plane = shape.Length >= 2 ? shape.Skip(1).Aggregate(1, (product, dimension) => product * dimension) : shape.Aggregate(1, (p, d) => p * d);
        var inPerSample = channels * plane;
        var outPerSample = (long)outChannels * plane;
        if ((long)data.Count * outPerSample > data.Samples.LongLength * MaxChannels)
        {
            throw new InvalidInputException($"Preprocessing would make {(long)data.Count * outPerSample} values from the {data.Samples.LongLength} the data holds.");
        }
        var features = new float[(long)data.Count * outPerSample];
        for (var n = 0; n < data.Count; n++)
        {
            for (var c = 0; c < outChannels; c++)
            {
                var source = (long)n * inPerSample + (replicate ? 0 : c) * plane;
                var target = (long)n * outPerSample + (long)c * plane;
                for (var i = 0; i < plane; i++)
                {
                    features[target + i] = (float)((data.Samples[source + i] * Scale - mean[c]) / std[c]);
                }
            }
        }

        var nonFinite = RawDataset.FirstNonFinite(features);
        if (nonFinite >= 0)
        {
            throw new InvalidInputException(
                $"After preprocessing, sample {nonFinite / outPerSample} holds {features[nonFinite].ToString(System.Globalization.CultureInfo.InvariantCulture)}: the scale, mean and std overflow float32 on this data.");
        }

        var outShape = shape.Length >= 2 ? new[] { outChannels }.Concat(shape.Skip(1)).ToArray() : shape.ToArray();
        return new LabelledDataset(features, data.Labels, outShape, data.Classes);
    }

    /// <summary>The most channels <see cref="Channels"/> may replicate a one-channel dataset to.</summary>
    public const int MaxChannels = 16;

    private static double[] PerChannel(double[]? values, int channels, double fallback, string name)
    {
        if (values is null || values.Length == 0)
        {
            return Enumerable.Repeat(fallback, channels).ToArray();
        }
        if (values.Length == 1)
        {
            return Enumerable.Repeat(values[0], channels).ToArray();
        }
        if (values.Length != channels)
        {
            throw new InvalidInputException($"{name} has {values.Length} values, but the data has {channels} channels: give one value or one per channel.");
        }
        return values;
    }
}
