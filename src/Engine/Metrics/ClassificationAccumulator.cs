using TorchSharp;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Metrics;

/// <summary>Top-1 predictions against given labels: accuracy and macro-F1 (labels, or the uploaded model's predictions).</summary>
public sealed class ClassificationAccumulator : MetricAccumulator
{
    private readonly int[] _labels;
    private readonly ClassificationScores _scores;

    /// <summary>Scores against <paramref name="labels"/> over <paramref name="classes"/> classes.</summary>
    public ClassificationAccumulator(int[] labels, int classes)
    {
        _labels = labels;
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
        _scores.Add(predicted.data<long>().ToArray(), _labels.AsSpan(start, length));
    }

    /// <inheritdoc />
    public override EvaluationResult Result() => _scores.Result();
}
