using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs.Additive;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;

namespace WeightShare.Engine.Tests.Compression;

/// <summary>search.racing and the validation split it allows, as the resolver fills them.</summary>
public sealed class RacingSettingsTests
{
    private static RunInputs OnLabels(int samples) => new(CheckpointFormat.TorchScript, 849_177, Samples: samples, Classes: 10);

    [Theory]
    [InlineData(ScalarCodec.CodecId, "accuracy", true)]
    [InlineData(AdditiveCodec.CodecId, "agreement", true)]
    [InlineData(PaperCodec.CodecId, "accuracy", false)]
    [InlineData(ScalarCodec.CodecId, "macroF1", false)]
    [InlineData(ScalarCodec.CodecId, "outputFidelity", false)]
    public void Resolve_RacingLeftOpen_IsTheCodecsWhereTheMetricHasALossInterval(string codec, string metric, bool racing)
    {
        var resolved = SettingsResolver.Default.Resolve(new RunSettings { Codec = codec, Metric = metric }, OnLabels(10_000));

        Assert.Equal(racing, resolved.Settings.Search.Racing);
    }

    [Fact]
    public void Resolve_DataFree_DoesNotRace()
    {
        var resolved = SettingsResolver.Default.Resolve(new RunSettings(), new RunInputs(CheckpointFormat.Safetensors, 1000));

        Assert.False(resolved.Settings.Search.Racing);
    }

    [Theory]
    [InlineData("macroF1")]
    [InlineData("outputFidelity")]
    public void Resolve_RacingAskedForAMetricWithoutInterval_IsRefusedNamingTheMetricsThatHaveOne(string metric)
    {
        var settings = new RunSettings { Metric = metric, Search = new SearchSettings { Racing = true } };

        var error = Assert.Throws<InvalidInputException>(() => SettingsResolver.Default.Resolve(settings, OnLabels(10_000)));

        Assert.Contains($"metric {metric} does not give: use one of accuracy, agreement", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PaperWithRacingAskedFor_Races()
    {
        var settings = new RunSettings { Codec = PaperCodec.CodecId, Search = new SearchSettings { Racing = true } };

        Assert.True(SettingsResolver.Default.Resolve(settings, OnLabels(10_000)).Settings.Search.Racing);
    }

    [Theory]
    [InlineData(ScalarCodec.CodecId, 10_000, 3000)]
    [InlineData(ScalarCodec.CodecId, 60_000, 3000)]
    [InlineData(ScalarCodec.CodecId, 5_000, 1500)]
    [InlineData(ScalarCodec.CodecId, 2_000, 1000)]
    [InlineData(PaperCodec.CodecId, 10_000, 1000)]
    public void Resolve_ValidationSamplesLeftOpen_ThirtyPercentUpTo3000WithRacingElse1000(string codec, int samples, int validation)
    {
        var resolved = SettingsResolver.Default.Resolve(new RunSettings { Codec = codec }, OnLabels(samples));

        Assert.Equal(validation, resolved.Settings.ValidationSamples);
    }

    [Fact]
    public void Resolve_ValidationSamplesGiven_IsKeptAndCalibrationTakesFromWhatItLeaves()
    {
        var resolved = SettingsResolver.Default.Resolve(new RunSettings { ValidationSamples = 700 }, OnLabels(10_000));

        Assert.Equal(700, resolved.Settings.ValidationSamples);
        Assert.Equal(2000, resolved.Settings.Calibration.Samples);
    }

    [Fact]
    public void Resolve_SmallDatasetLeftOpen_IsRefusedAsBefore()
    {
        var error = Assert.Throws<InvalidInputException>(() => SettingsResolver.Default.Resolve(new RunSettings(), OnLabels(900)));

        Assert.Contains("validationSamples is 1000, but the dataset has only 900 samples", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_CandidateSamplesWithoutRacing_IsRefusedAndBelowOneIsOutOfRange()
    {
        var notRacing = new RunSettings { Codec = PaperCodec.CodecId, Search = new SearchSettings { CandidateSamples = 500 } };
        var zero = new RunSettings { Search = new SearchSettings { CandidateSamples = 0 } };

        var error = Assert.Throws<InvalidInputException>(() => SettingsResolver.Default.Resolve(notRacing, OnLabels(10_000)));
        var limits = Assert.ThrowsAny<InvalidInputException>(() => SettingsResolver.Default.Check(zero));

        Assert.Contains("search.candidateSamples bounds a racing search", error.Message, StringComparison.Ordinal);
        Assert.Contains("search.candidateSamples must be at least 1 (got 0)", limits.Message, StringComparison.Ordinal);
        Assert.Equal(500, SettingsResolver.Default.Resolve(notRacing with { Codec = ScalarCodec.CodecId }, OnLabels(10_000)).Settings.Search.CandidateSamples);
    }

    [Fact]
    public void FromJson_SettingsStoredBeforeRacing_ReadWithTheirSplitAndRacingOpen()
    {
        var settings = RunSettings.FromJson("""{"codec":"scalar","validationSamples":1000,"metric":"accuracy","search":{"population":32,"generations":100,"kMin":2,"kMax":1024,"seed":1,"patience":5}}""");

        Assert.Equal(1000, settings.ValidationSamples);
        Assert.Null(settings.Search.Racing);
        Assert.Null(new RunSettings().ValidationSamples);
    }
}
