using TorchSharp;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Metrics;

/// <summary>
/// Top-1 predictions against given labels: accuracy and macro-F1 (labels, or the uploaded model's predictions), and,
/// given the uploaded model's predictions, each sample's outcome paired with the uploaded model's for the loss and its
/// interval.
/// </summary>
public sealed class ClassificationAccumulator : MetricAccumulator
{
    private readonly int[] _labels;
    private readonly int[]? _original;
    private readonly ClassificationScores _scores;
    private long _bothRight;
    private long _onlyOriginalRight;
    private long _onlyCompressedRight;
    private long _bothWrong;

    /// <summary>Scores against <paramref name="labels"/> over <paramref name="classes"/> classes.</summary>
    /// <param name="labels">What each sample should be predicted as.</param>
    /// <param name="classes">How many classes the labels range over.</param>
    /// <param name="original">The uploaded model's predictions on the same samples: pairs each outcome with its own.
    /// When they are the labels themselves (agreement), the loss is the share of samples predicted otherwise.</param>
    public ClassificationAccumulator(int[] labels, int classes, int[]? original = null)
    {
        _labels = labels;
        _original = original;
        _scores = new ClassificationScores(classes);
    }

    /// <inheritdoc />
    public override void Add(torch.Tensor outputs, int start)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var length = (int)outputs.shape[0];
        if (outputs.dim() != 2)
        {
            throw new InvalidInputException(
                $"The model returned a tensor of shape [{string.Join(", ", outputs.shape)}] for a batch of {length} samples; a classifier returns [batch, classes].");
        }
        using var predicted = outputs.argmax(1).to(torch.int64).cpu();
        var predictions = predicted.data<long>().ToArray();
        _scores.Add(predictions, _labels.AsSpan(start, length));
        if (_original is not null)
        {
            for (var i = 0; i < length; i++)
            {
                var label = _labels[start + i];
                var (originalRight, compressedRight) = (_original[start + i] == label, predictions[i] == label);
                _ = (originalRight, compressedRight) switch
                {
                    (true, true) => ++_bothRight,
                    (true, false) => ++_onlyOriginalRight,
                    (false, true) => ++_onlyCompressedRight,
                    _ => ++_bothWrong,
                };
            }
        }
    }

    /// <inheritdoc />
    public override EvaluationResult Result()
    {
        var result = _scores.Result();
        if (_original is null)
        {
            return result;
        }
        // For agreement the uploaded model's predictions are the labels: it is right by definition, so the loss is the share predicted otherwise.
        var pairs = new PairedCounts(_bothRight, _onlyOriginalRight, _onlyCompressedRight, _bothWrong) { AgainstOriginal = ReferenceEquals(_original, _labels) };
        return result with { Loss = pairs.Interval(), Pairs = pairs };
    }
}
