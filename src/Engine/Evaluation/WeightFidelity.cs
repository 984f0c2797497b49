using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// How faithfully shared weights keep the uploaded ones, for runs without data: the signal-to-noise ratio
/// 10 log10(|w|² / |w - q|²) in dB, capped at <see cref="MaxDecibels"/> (float32 rounding alone is far above it, so the
/// cap is "lossless"). The search's metric is the ratio / 100 dB: one scale where the uploaded weights score 1 like
/// a perfect accuracy, where a tolerance of 0.01 is 1 dB, and where a chart's percent reads as dB.
/// </summary>
public static class WeightFidelity
{
    /// <summary>The highest ratio reported: 100 dB, a metric of 1.</summary>
    public const double MaxDecibels = 100;

    /// <summary>The figures of a data-free evaluation: the ratio / 100 dB in every field, no samples.</summary>
    public static EvaluationResult Result(double decibels) => new(ToMetric(decibels), ToMetric(decibels), 0);

    /// <summary>The run's metric for a ratio in dB.</summary>
    public static double ToMetric(double decibels) => Math.Min(decibels, MaxDecibels) / MaxDecibels;

    /// <summary>The ratio in dB a metric stands for.</summary>
    public static double ToDecibels(double metric) => metric * MaxDecibels;

    /// <summary>
    /// The signal-to-noise ratio in dB (at most <see cref="MaxDecibels"/>) of <paramref name="values"/> against
    /// <paramref name="original"/>, taking each tensor's values as its
    /// element type stores them (a float16 tensor holds the nearest float16 of each shared value).
    /// </summary>
    public static double Decibels(ReadOnlySpan<float> original, ReadOnlySpan<float> values, IReadOnlyList<SharedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (original.Length != values.Length)
        {
            throw new ArgumentException($"{values.Length} values against {original.Length} originals.", nameof(values));
        }
        double signal = 0, noise = 0;
        var offset = 0;
        foreach (var tensor in tensors)
        {
            var count = (int)tensor.ElementCount;
            var stored = values.Slice(offset, count);
            float[]? rounded = null;
            if (tensor.DType is not (TensorDType.Float32 or TensorDType.Float64))
            {
                rounded = FloatCodec.DecodeFloats(FloatCodec.EncodeFloats(stored, tensor.DType), tensor.DType);
                stored = rounded;
            }
            var before = original.Slice(offset, count);
            for (var i = 0; i < count; i++)
            {
                double w = before[i];
                var error = stored[i] - w;
                signal += w * w;
                noise += error * error;
            }
            offset += count;
        }
        return RatioDecibels(signal, noise);
    }

    /// <summary>
    /// 10 log10(signal / noise), capped at <see cref="MaxDecibels"/> (lossless) and, for a zero signal with noise,
    /// -<see cref="MaxDecibels"/> (as far from it as the search can tell).
    /// </summary>
    public static double RatioDecibels(double signal, double noise)
    {
        if (noise <= signal * Math.Pow(10, -MaxDecibels / 10))
        {
            return MaxDecibels;
        }
        return signal > 0 ? Math.Max(-MaxDecibels, 10 * Math.Log10(signal / noise)) : -MaxDecibels;
    }
}
