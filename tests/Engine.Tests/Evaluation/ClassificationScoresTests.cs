using WeightShare.Engine.Metrics;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Tests.Evaluation;

public class ClassificationScoresTests
{
    [Fact]
    public void Result_ThreeClasses_MatchesHandComputedAccuracyAndMacroF1()
    {
        var scores = new ClassificationScores(3);

        // Class 0: 2 of 3 right; class 1: 1 of 1 right plus one false positive; class 2: 0 of 1 right.
        scores.Add(new long[] { 0, 0, 1, 1, 1 }, new[] { 0, 0, 0, 1, 2 });
        var result = scores.Result();

        // F1 per class: 0 -> 2*2/(2+3) = 0.8; 1 -> 2*1/(3+1) = 0.5; 2 -> 0. Macro-F1 = 1.3 / 3.
        Assert.Equal(0.6, result.Accuracy, 12);
        Assert.Equal(1.3 / 3, result.MacroF1, 12);
        Assert.Equal(5, result.Samples);
        Assert.Equal(result.MacroF1, new MacroF1Metric().ValueOf(result));
        Assert.Equal(result.Accuracy, new AccuracyMetric().ValueOf(result));
    }
}
