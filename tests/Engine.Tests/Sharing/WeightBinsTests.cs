using WeightShare.Engine.Sharing;

namespace WeightShare.Engine.Tests.Sharing;

public class WeightBinsTests
{
    // Straightforward reference: every one of the k bins, then drop the empty ones.
    private static (int[] BinOfWeight, double[] Sums, long[] Counts) BruteForce(float[] weights, int k)
    {
        float min = weights.Min();
        float max = weights.Max();
        double width = ((double)max - min) / k;
        var raw = new int[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            raw[i] = width == 0 ? 0 : Math.Min(k - 1, (int)(((double)weights[i] - min) / width));
        }

        var used = raw.Distinct().Order().ToList();
        var bins = raw.Select(b => used.IndexOf(b)).ToArray();
        var sums = used.Select(b => Enumerable.Range(0, weights.Length).Where(i => raw[i] == b).Sum(i => (double)weights[i])).ToArray();
        var counts = used.Select(b => (long)raw.Count(r => r == b)).ToArray();
        return (bins, sums, counts);
    }

    private static float[] RandomWeights(int n, int seed, float scale = 0.1f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(1024)]
    public void Assign_RandomWeights_MatchesBruteForce(int k)
    {
        // Arrange: a skewed distribution so some of the 1024 bins stay empty.
        var weights = RandomWeights(3000, k).Select(w => w * w * w * 100).ToArray();
        var expected = BruteForce(weights, k);

        // Act
        var bins = WeightBins.Assign(weights, k);

        // Assert
        Assert.Equal(expected.Counts, bins.Counts);
        Assert.Equal(expected.BinOfWeight, bins.BinOfWeight.Select(b => (int)b).ToArray());
        for (int b = 0; b < bins.Count; b++)
        {
            Assert.Equal(expected.Sums[b], bins.Sums[b], 9);
        }

        Assert.Equal(weights.Min(), bins.Min);
        Assert.Equal(weights.Max(), bins.Max);
    }

    [Fact]
    public void Assign_Skewed_DropsEmptyBinsAndKeepsOrder()
    {
        // Arrange: two tight clusters and one middle weight leave most of the 100 bins empty.
        float[] weights = [-1f, -0.995f, 0.001f, 1f, 0.995f];

        // Act
        var bins = WeightBins.Assign(weights, 100);

        // Assert
        Assert.Equal(3, bins.Count);
        Assert.All(bins.Counts, c => Assert.True(c > 0));
        var means = Codebook.FromBins(bins).Values;
        Assert.Equal(means.Order().ToArray(), means);
        Assert.Equal((ushort)0, bins.BinOfWeight[0]);
        Assert.Equal((ushort)2, bins.BinOfWeight[3]);
    }

    [Fact]
    public void Assign_ConstantInput_OneBinHoldingEverything()
    {
        // Arrange
        var weights = Enumerable.Repeat(0.25f, 50).ToArray();

        // Act
        var bins = WeightBins.Assign(weights, 16);

        // Assert
        Assert.Equal(1, bins.Count);
        Assert.Equal(50L, bins.Counts[0]);
        Assert.All(bins.BinOfWeight, b => Assert.Equal((ushort)0, b));
        Assert.Equal(0.25f, Codebook.FromBins(bins).Values[0]);
    }

    [Fact]
    public void Assign_MaxValue_LandsInLastBin()
    {
        // Arrange: with k = 3 over [0, 0.3] the float division would put 0.3 at index 3 without the clamp.
        float[] weights = [0f, 0.1f, 0.2f, 0.3f, -0.0f];

        // Act
        var bins = WeightBins.Assign(weights, 3);

        // Assert
        Assert.Equal(bins.Count - 1, bins.BinOfWeight[3]);
        Assert.Equal(weights.Length, bins.Counts.Sum());
    }

    [Fact]
    public void Assign_NegativeWeights_MeansLieInsideTheirBins()
    {
        // Arrange
        var weights = RandomWeights(5000, 3, 2f).Select(w => w - 5f).ToArray();

        // Act
        var bins = WeightBins.Assign(weights, 37);
        var values = Codebook.FromBins(bins).Values;

        // Assert: each bin's mean lies within [min member, max member] of that bin.
        for (int b = 0; b < bins.Count; b++)
        {
            var members = weights.Where((_, i) => bins.BinOfWeight[i] == b).ToArray();
            Assert.InRange(values[b], members.Min(), members.Max());
        }
    }

    [Fact]
    public void Assign_ReusedBuffer_SameResultAsFreshArray()
    {
        // Arrange
        var weights = RandomWeights(2000, 5);
        var buffer = new ushort[weights.Length];
        WeightBins.Assign(weights, 300, buffer);

        // Act
        var reused = WeightBins.Assign(weights, 9, buffer);
        var fresh = WeightBins.Assign(weights, 9);

        // Assert
        Assert.Same(buffer, reused.BinOfWeight);
        Assert.Equal(fresh.BinOfWeight, reused.BinOfWeight);
        Assert.Equal(fresh.Counts, reused.Counts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Assign_KOutOfRange_Throws(int k)
    {
        Assert.Throws<InvalidInputException>(() => WeightBins.Assign(new float[] { 1, 2 }, k));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Assign_NonFiniteWeight_Throws(float bad)
    {
        // Arrange: long enough that the vector path runs.
        var weights = RandomWeights(100, 1);
        weights[41] = bad;

        // Act / Assert
        Assert.Throws<InvalidInputException>(() => WeightBins.Assign(weights, 8));
    }

    [Fact]
    public void Assign_MinMaxOddLength_FoundInTail()
    {
        // Arrange: the extremes sit in the scalar tail after the vector part.
        var weights = RandomWeights(67, 2);
        weights[66] = -3f;
        weights[65] = 4f;

        // Act
        var bins = WeightBins.Assign(weights, 4);

        // Assert
        Assert.Equal(-3f, bins.Min);
        Assert.Equal(4f, bins.Max);
    }
}
