using WeightShare.Engine.Datasets;

namespace WeightShare.Engine.Tests.Datasets;

public class DatasetSplitterTests
{
    private static readonly int[] Labels = DatasetReader.Read([Fixtures.Path("eval.npz")]).Labels;

    [Fact]
    public void SplitBalanced_Fixture_TakesOneHundredPerClassDisjointAndCovering()
    {
        var split = DatasetSplitter.SplitBalanced(Labels, 10, 1000, seed: 1);

        Assert.Equal(1000, split.ValidationIndices.Length);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(100, split.ValidationIndices.Count(i => Labels[i] == c)));
        Assert.Empty(split.ValidationIndices.Intersect(split.TestIndices));
        Assert.Equal(Enumerable.Range(0, Labels.Length), split.ValidationIndices.Concat(split.TestIndices).Order());
        Assert.Equal(split.ValidationIndices.Order(), split.ValidationIndices);
    }

    [Fact]
    public void SplitBalanced_SameSeed_SameSplit_OtherSeed_Different()
    {
        var first = DatasetSplitter.SplitBalanced(Labels, 10, 500, seed: 7);
        var again = DatasetSplitter.SplitBalanced(Labels, 10, 500, seed: 7);
        var other = DatasetSplitter.SplitBalanced(Labels, 10, 500, seed: 8);

        Assert.Equal(first.ValidationIndices, again.ValidationIndices);
        Assert.NotEqual(first.ValidationIndices, other.ValidationIndices);
    }

    [Fact]
    public void SplitBalanced_SmallClass_GivesItsShareToTheOthers()
    {
        int[] labels = [.. Enumerable.Repeat(0, 3), .. Enumerable.Repeat(1, 50), .. Enumerable.Repeat(2, 50)];

        var split = DatasetSplitter.SplitBalanced(labels, 3, 30, seed: 1);

        Assert.Equal(30, split.ValidationIndices.Length);
        Assert.Equal(3, split.ValidationIndices.Count(i => labels[i] == 0));
        Assert.InRange(split.ValidationIndices.Count(i => labels[i] == 1), 13, 14);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2000)]
    public void SplitBalanced_ImpossibleSize_ThrowsInvalidInput(int samples) =>
        Assert.Throws<InvalidInputException>(() => DatasetSplitter.SplitBalanced(Labels, 10, samples, 1));
}
