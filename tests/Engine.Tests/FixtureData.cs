using WeightShare.Engine.Datasets;

namespace WeightShare.Engine.Tests;

/// <summary>The fixture evaluation set read and preprocessed by the product's own dataset code.</summary>
internal static class FixtureData
{
    public static LabelledDataset FashionMnistEvaluation() =>
        Preprocessing.FashionMnist.Apply(DatasetReader.Read([Fixtures.Path("eval-images-idx3-ubyte.gz"), Fixtures.Path("eval-labels-idx1-ubyte.gz")]));
}
