using WeightShare.Engine.Datasets;

namespace WeightShare.Engine.Tests.Datasets;

/// <summary>Data that cannot be measured is refused with the sample or label at fault.</summary>
public class RawDatasetChecksTests
{
    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Create_NonFiniteValue_NamesTheSampleAndValue(float bad, string shown)
    {
        float[] samples = [0, 1, 2, 3, 4, 5, 6, 7];
        samples[5] = bad;

        var error = Assert.Throws<InvalidInputException>(() => RawDataset.Create(DatasetFormat.Npz, samples, [0, 1, 0, 1], [2]));

        Assert.Contains($"Sample 2 holds {shown} at value 1 of its 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("finite", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(RawDataset.MaxClasses)]
    public void Create_LabelOutOfRange_NamesTheSample(int label)
    {
        var error = Assert.Throws<InvalidInputException>(() => RawDataset.Create(DatasetFormat.Npz, [0, 1, 2], [0, 1, label], [1]));

        Assert.Contains($"Sample 2 has label {label}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SingleClass_Refused()
    {
        var error = Assert.Throws<InvalidInputException>(() => RawDataset.Create(DatasetFormat.Npz, [0, 1, 2], [4, 4, 4], [1]));

        Assert.Contains("Every one of the 3 samples has label 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TwoClassesOfFiniteValues_CountsLargestLabelPlusOne()
    {
        var dataset = RawDataset.Create(DatasetFormat.Npz, [0, -1e30f, 2], [0, 3, 0], [1]);

        Assert.Equal(4, dataset.Classes);
    }

    [Fact]
    public void Range_AfterPreprocessing_IsTheSmallestAndLargestFeature()
    {
        var raw = RawDataset.Create(DatasetFormat.Npz, [0, 51, 255, 102], [0, 1], [2]);

        var (min, max) = new Preprocessing(1 / 255.0, [0.5], [0.5]).Apply(raw).Range();

        Assert.Equal(-1f, min, 1e-6f);
        Assert.Equal(1f, max, 1e-6f);
    }

    [Fact]
    public void Apply_ValuesThatOverflowFloat32_RefusedNamingTheSample()
    {
        var raw = RawDataset.Create(DatasetFormat.Npz, [1, 2, 3e38f, 4], [0, 1], [2]);

        var error = Assert.Throws<InvalidInputException>(() => new Preprocessing(1, [0], [0.5]).Apply(raw));

        Assert.Contains("After preprocessing, sample 1 holds Infinity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_MoreChannelsThanAllowed_RefusedBeforeAllocating()
    {
        var raw = RawDataset.Create(DatasetFormat.Npz, new float[2 * 4], [0, 1], [1, 2, 2]);

        var error = Assert.Throws<InvalidInputException>(() => new Preprocessing(Channels: 2_000_000_000).Apply(raw));

        Assert.Contains($"more than the {Preprocessing.MaxChannels} channels", error.Message, StringComparison.Ordinal);
    }
}
