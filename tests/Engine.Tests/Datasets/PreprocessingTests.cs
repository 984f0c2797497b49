using WeightShare.Engine.Datasets;

namespace WeightShare.Engine.Tests.Datasets;

public class PreprocessingTests
{
    private static readonly RawDataset Grey = RawDataset.Create(DatasetFormat.Npz, [0, 51, 102, 255, 255, 0, 0, 255], [0, 1], [1, 2, 2]);

    [Fact]
    public void Apply_ScaleMeanStd_MatchesHandComputation()
    {
        var result = new Preprocessing(1 / 255.0, [0.5], [0.25]).Apply(Grey);

        // (51 / 255 - 0.5) / 0.25 = (0.2 - 0.5) / 0.25 = -1.2
        Assert.Equal(-2f, result.Features[0], 5);
        Assert.Equal(-1.2f, result.Features[1], 5);
        Assert.Equal(2f, result.Features[3], 5);
        Assert.Equal(new[] { 1, 2, 2 }, result.SampleShape);
    }

    [Fact]
    public void Apply_ThreeChannelsFromGrey_ReplicatesWithPerChannelStatistics()
    {
        var result = new Preprocessing(1, [0, 10, 20], [1, 2, 4], 3).Apply(Grey);

        Assert.Equal(new[] { 3, 2, 2 }, result.SampleShape);
        Assert.Equal(24, result.Features.Length);
        Assert.Equal(102f, result.Features[2]);
        Assert.Equal((102 - 10) / 2f, result.Features[4 + 2]);
        Assert.Equal((102 - 20) / 4f, result.Features[8 + 2]);
        Assert.Equal((255 - 20) / 4f, result.Features[12 + 8 + 0]);
    }

    [Fact]
    public void Apply_MeanOfWrongLength_ThrowsInvalidInput()
    {
        var error = Assert.Throws<InvalidInputException>(() => new Preprocessing(1, [0.1, 0.2], [1]).Apply(Grey));

        Assert.Contains("mean", error.Message);
    }

    [Fact]
    public void Apply_ZeroStd_ThrowsInvalidInput() =>
        Assert.Throws<InvalidInputException>(() => new Preprocessing(1, [0], [0]).Apply(Grey));
}
