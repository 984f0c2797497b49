using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Tests.Compression;

/// <summary>The one place that fills a run's open settings, decides whether it calibrates and refuses what cannot work.</summary>
public sealed class SettingsResolverTests
{
    private static readonly RunInputs TorchScriptOnLabels = new(CheckpointFormat.TorchScript, 849_177, Samples: 10_000, Classes: 10);

    [Fact]
    public void Resolve_NothingNamed_FillsTheDefaultCodecTheMetricOfTheDataAndTheCodecsDefaults()
    {
        var resolved = SettingsResolver.Default.Resolve(new RunSettings(), TorchScriptOnLabels, ComputeDevice.Cpu);

        var defaults = new ScalarCodec().Defaults;
        Assert.Equal((ScalarCodec.CodecId, "accuracy"), (resolved.Settings.Codec, resolved.Settings.Metric));
        Assert.Equal((defaults.Population, defaults.Patience, defaults.Objective), (resolved.Settings.Search.Population!.Value, resolved.Settings.Search.Patience!.Value, resolved.Settings.Objective!.Value));
        Assert.Equal(ComputeDevice.Cpu, resolved.Settings.Device);
        // A calibrating codec on a TorchScript model with labels calibrates on 2000 samples (at most half of what validation leaves).
        Assert.True(resolved.Calibrates);
        Assert.Equal(2000, resolved.Settings.Calibration.Samples);
    }

    [Fact]
    public void ForNewRun_ScalarWithoutACoder_GetsAutoAndKeepsWhatTheUserNamed()
    {
        // Arrange: a scalar run naming nothing, one naming its coder, and a paper run.
        var bare = new RunSettings();
        var named = new RunSettings { Codec = ScalarCodec.CodecId, CodecOptions = new Dictionary<string, string> { ["coder"] = "rans", ["zero"] = "off" } };
        var paper = new RunSettings { Codec = PaperCodec.CodecId };

        // Act
        var (bareNew, namedNew, paperNew) = (SettingsResolver.Default.ForNewRun(bare), SettingsResolver.Default.ForNewRun(named), SettingsResolver.Default.ForNewRun(paper));

        // Assert: only what was left out is added; Resolve alone (a stored run's settings) adds nothing.
        Assert.Equal(new Dictionary<string, string> { ["coder"] = "auto" }, bareNew.CodecOptions);
        Assert.Equal(named.CodecOptions, namedNew.CodecOptions);
        Assert.Empty(paperNew.CodecOptions);
        Assert.Empty(bare.CodecOptions);
        Assert.Empty(SettingsResolver.Default.Resolve(bare, TorchScriptOnLabels, ComputeDevice.Cpu).Settings.CodecOptions);
    }

    [Fact]
    public void Resolve_DataFree_MetricIsWeightSnrAndNothingCalibrates()
    {
        var resolved = SettingsResolver.Default.Resolve(new RunSettings(), new RunInputs(CheckpointFormat.Safetensors, 1000));

        Assert.Equal(WeightSnrMetric.MetricId, resolved.Metric.Id);
        Assert.False(resolved.Calibrates);
        Assert.Equal(0, resolved.Settings.Calibration.Samples);
    }

    [Theory]
    [InlineData(CheckpointFormat.Onnx, "accuracy", ScalarCodec.CodecId)]
    [InlineData(CheckpointFormat.TorchScript, "outputFidelity", ScalarCodec.CodecId)]
    [InlineData(CheckpointFormat.TorchScript, "accuracy", PaperCodec.CodecId)]
    public void Resolve_NoAutogradOrOutputsNotClassScoresOrAMergingCodec_DoesNotCalibrate(CheckpointFormat format, string metric, string codec)
    {
        var resolved = SettingsResolver.Default.Resolve(new RunSettings { Codec = codec, Metric = metric }, TorchScriptOnLabels with { ModelFormat = format });

        Assert.False(resolved.Calibrates);
        Assert.Equal(0, resolved.Settings.Calibration.Samples);
    }

    [Fact]
    public void Genes_BoundsByName_NarrowTheCodecsGenesAndKeepKFromKMinKMax()
    {
        var search = new SearchSettings(KMin: 8, KMax: 64) { Genes = new() { ["zero"] = new GeneBounds(1, 2) } };
        var settings = new RunSettings { Search = search };
        var codec = SettingsResolver.Default.Check(settings);

        var genes = SettingsResolver.Genes(codec.Genes, search).ToDictionary(g => g.Name);

        Assert.Equal((8, 64), (genes["k"].Min, genes["k"].Max));
        Assert.Equal((1, 2), (genes["zero"].Min, genes["zero"].Max));
        Assert.Equal(codec.Genes.Single(g => g.Name == "fine1").Max, genes["fine1"].Max);
    }

    [Theory]
    [InlineData("bits", 1, 2, "search.genes names 'bits', which the scalar codec does not have; its genes are k, zero, fine1, fine2, fine3, fine4.")]
    [InlineData("zero", 2, 9, "search.genes.zero must satisfy 0 <= min <= max <= 3 for the scalar codec (got 2 and 9).")]
    public void Check_GeneBoundsTheCodecCannotTake_IsRefusedSayingWhy(string gene, int min, int max, string message)
    {
        var settings = new RunSettings { Search = new SearchSettings { Genes = new() { [gene] = new GeneBounds(min, max) } } };

        var error = Assert.Throws<InvalidInputException>(() => SettingsResolver.Default.Check(settings));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Resolve_LabelMetricWithoutLabels_NamesTheMetricsThatNeedNone()
    {
        var error = Assert.Throws<InvalidInputException>(() => SettingsResolver.Default.Resolve(new RunSettings { Metric = "macroF1" }, TorchScriptOnLabels with { Classes = 0 }));

        Assert.Contains("(agreement, outputFidelity)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_SettingsStoredBeforeCodecs_AreThePapers()
    {
        var settings = RunSettings.FromJson("""{"validationSamples":1000,"metric":"accuracy","search":{"population":100,"generations":100,"kMin":2,"kMax":1024,"seed":1},"merge":{"enabled":true,"tolerance":0.0}}""");

        Assert.Equal(PaperCodec.CodecId, settings.Codec);
        Assert.Null(settings.Search.Genes);
        Assert.DoesNotContain("genes", settings.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_CalibrationStoredBeforeTheSchedule_CalibratesAsItWasCreatedToWithTargetZeroAsOnePoint()
    {
        var settings = RunSettings.FromJson("""{"codec":"scalar","validationSamples":1000,"metric":"accuracy","search":{"seed":1},"calibration":{"samples":null,"steps":300,"batchSize":64,"valueLearningRate":0.0001,"smallLearningRate":0.001,"budget":3,"targetLoss":0,"loss":"distillation"}}""");

        Assert.Equal((CalibrationSchedule.Constant, 0, 0.01, 300), (settings.Calibration.Schedule, settings.Calibration.Patience, settings.Calibration.TargetLoss, settings.Calibration.Steps));
    }

    [Fact]
    public void FromJson_TodaysSettings_RoundTripWithTheirScheduleAndTarget()
    {
        var stored = new RunSettings { Codec = ScalarCodec.CodecId, Calibration = new CalibrationSettings(TargetLoss: 0, Schedule: CalibrationSchedule.WarmupCosine, Patience: 25) };

        var read = RunSettings.FromJson(stored.ToJson());

        Assert.Equal(stored.Calibration, read.Calibration);
        Assert.Equal((CalibrationSchedule.WarmupCosine, 25, 0.0), (read.Calibration.Schedule, read.Calibration.Patience, read.Calibration.TargetLoss));
    }
}
