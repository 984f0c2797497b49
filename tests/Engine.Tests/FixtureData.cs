using WeightShare.Engine.Datasets;

namespace WeightShare.Engine.Tests;

internal static class FixtureData
{
    public static LabelledDataset FashionMnistEvaluation()
    {
        var (features, labels) = Fixtures.EvaluationImages();
        return new LabelledDataset(features, labels, new[] { 1, 28, 28 }, 10);
    }
}
