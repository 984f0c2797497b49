using WeightShare.Engine.Benchmarks;
using WeightShare.Engine.Sharing;

namespace WeightShare.Engine.Tests.Sharing;

public class CodebookTests
{
    private static float[] RandomWeights(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }

    [Fact]
    public void FromGroups_MergedBins_ValueIsMeanOfAllMembers()
    {
        // Arrange
        var weights = RandomWeights(4000, 11);
        var bins = WeightBins.Assign(weights, 20);
        int[] starts = [0, 3, 4, 10];

        // Act
        var (codebook, binToValue) = Codebook.FromGroups(bins, starts);

        // Assert
        Assert.Equal(4, codebook.Count);
        for (int g = 0; g < starts.Length; g++)
        {
            int end = g + 1 < starts.Length ? starts[g + 1] : bins.Count;
            var members = weights.Where((_, i) => bins.BinOfWeight[i] >= starts[g] && bins.BinOfWeight[i] < end);
            Assert.Equal(members.Average(w => (double)w), codebook.Values[g], 5);
        }

        Assert.Equal(3, binToValue[10]);
        Assert.Equal(1, binToValue[3]);
    }

    [Theory]
    [InlineData(new[] { 1, 2 })]
    [InlineData(new[] { 0, 2, 2 })]
    [InlineData(new[] { 0, 5 })]
    public void FromGroups_BadStarts_Throws(int[] starts)
    {
        var bins = WeightBins.Assign(new float[] { 0, 1, 2, 3, 4 }, 5);

        Assert.Throws<ArgumentException>(() => Codebook.FromGroups(bins, starts));
    }

    [Fact]
    public void IndicesAndDequantize_AfterGrouping_AgreeWithCodebook()
    {
        // Arrange
        var weights = RandomWeights(1000, 4);
        var bins = WeightBins.Assign(weights, 12);
        var (codebook, binToValue) = Codebook.FromGroups(bins, [0, 5, 6]);

        // Act
        var indices = WeightSharing.Indices(bins, binToValue);
        var shared = new float[weights.Length];
        WeightSharing.Dequantize(bins, WeightSharing.BinValues(codebook, binToValue), shared);
        var frequencies = WeightSharing.CountPerValue(bins, binToValue);

        // Assert
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.Equal(codebook.Values[indices[i]], shared[i]);
        }

        for (int v = 0; v < codebook.Count; v++)
        {
            Assert.Equal(indices.Count(x => x == v), frequencies[v]);
        }
    }

    [Theory]
    [InlineData(KMeansInit.Quantiles, 8)]
    [InlineData(KMeansInit.BinMeans, 8)]
    [InlineData(KMeansInit.BinMeans, 64)]
    public void KMeansFit_AnyInit_ErrorNeverAboveInitialisation(KMeansInit init, int k)
    {
        // Arrange: a bell-shaped sample like trained weights.
        var random = new Random(k);
        var weights = Enumerable.Range(0, 5000).Select(_ => (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5)).ToArray();
        var initial = KMeansCodebook.Initialise(weights, k, init);

        // Act
        var fitted = KMeansCodebook.Fit(weights, initial, 10);

        // Assert: Lloyd steps never increase the error; the tolerance covers rounding means to float.
        double before = KMeansCodebook.SquaredError(weights, initial);
        double after = KMeansCodebook.SquaredError(weights, fitted.Values);
        Assert.True(after <= before * (1 + 1e-6), $"{after} > {before}");
        Assert.True(after < before, "ten iterations from this start should improve the fit");
    }
}
