namespace WeightShare.Engine.Evaluation;

/// <summary>Accumulates predictions against labels and reports accuracy and macro-F1.</summary>
public sealed class ClassificationScores
{
    private readonly long[] _truePositives;
    private readonly long[] _predicted;
    private readonly long[] _actual;
    private long _correct;
    private int _samples;

    /// <summary>Creates an empty tally for <paramref name="classes"/> classes.</summary>
    public ClassificationScores(int classes)
    {
        _truePositives = new long[classes];
        _predicted = new long[classes];
        _actual = new long[classes];
    }

    /// <summary>Adds one batch of predicted classes and true labels.</summary>
    public void Add(ReadOnlySpan<long> predictions, ReadOnlySpan<int> labels)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            var actual = labels[i];
            var predicted = (int)predictions[i];
            _actual[actual]++;
            if (predicted >= 0 && predicted < _predicted.Length)
            {
                _predicted[predicted]++;
            }
            if (predicted == actual)
            {
                _truePositives[actual]++;
                _correct++;
            }
        }
        _samples += labels.Length;
    }

    /// <summary>The figures of everything added so far.</summary>
    public EvaluationResult Result()
    {
        double f1Sum = 0;
        var classesSeen = 0;
        for (var c = 0; c < _actual.Length; c++)
        {
            // A class absent from both labels and predictions says nothing about the model; leave it out.
            if (_actual[c] == 0 && _predicted[c] == 0)
            {
                continue;
            }
            classesSeen++;
            var denominator = _predicted[c] + _actual[c];
            f1Sum += denominator == 0 ? 0 : 2.0 * _truePositives[c] / denominator;
        }
        var accuracy = _samples == 0 ? 0 : (double)_correct / _samples;
        return new EvaluationResult(accuracy, classesSeen == 0 ? 0 : f1Sum / classesSeen, _samples);
    }
}
