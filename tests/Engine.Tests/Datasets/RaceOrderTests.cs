using WeightShare.Engine.Datasets;

namespace WeightShare.Engine.Tests.Datasets;

/// <summary>The class-interleaved order a racing run holds its validation split in.</summary>
public sealed class RaceOrderTests
{
    private static readonly int[] Labels = DatasetReader.Read([Fixtures.Path("eval.npz")]).Labels;

    [Fact]
    public void InterleaveByClass_FixtureSplit_EveryChunkOf250IsClassBalanced()
    {
        var split = DatasetSplitter.SplitBalanced(Labels, 10, 1000, seed: 1);

        var order = DatasetSplitter.InterleaveByClass(split.ValidationIndices, Labels, 10, seed: 1);

        // The same samples, reordered.
        Assert.Equal(split.ValidationIndices, order.Order());
        Assert.NotEqual(split.ValidationIndices, order);
        // 100 per class dealt in turn: every chunk of 250 holds 25 of each class, and any prefix is within one of even.
        foreach (var chunk in order.Chunk(250))
        {
            Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(25, chunk.Count(i => Labels[i] == c)));
        }
        for (var prefix = 1; prefix <= order.Length; prefix++)
        {
            var counts = order.Take(prefix).GroupBy(i => Labels[i]).Select(g => g.Count()).ToArray();
            Assert.True(counts.Max() - (counts.Length < 10 ? 0 : counts.Min()) <= 1, $"prefix {prefix}");
        }
    }

    [Fact]
    public void InterleaveByClass_SameSeed_SameOrder_OtherSeed_Different()
    {
        var split = DatasetSplitter.SplitBalanced(Labels, 10, 600, seed: 3);

        var first = DatasetSplitter.InterleaveByClass(split.ValidationIndices, Labels, 10, seed: 3);
        var again = DatasetSplitter.InterleaveByClass(split.ValidationIndices, Labels, 10, seed: 3);
        var other = DatasetSplitter.InterleaveByClass(split.ValidationIndices, Labels, 10, seed: 4);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        // Whatever the seed, the classes come in turn.
        Assert.Equal(first.Select(i => Labels[i]), other.Select(i => Labels[i]));
    }

    [Fact]
    public void InterleaveByClass_UnevenClasses_ASmallClassDropsOutWhenItRunsOut()
    {
        int[] labels = [.. Enumerable.Repeat(0, 2), .. Enumerable.Repeat(1, 5), .. Enumerable.Repeat(2, 5)];

        var order = DatasetSplitter.InterleaveByClass(Enumerable.Range(0, labels.Length).ToArray(), labels, 3, seed: 1);

        Assert.Equal([0, 1, 2, 0, 1, 2, 1, 2, 1, 2, 1, 2], order.Select(i => labels[i]));
    }
}
