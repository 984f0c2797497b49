using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Wsz;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Codecs;

/// <summary>The byte-targeting scalar codec: its lattice, its coders, its calibration, and its files.</summary>
public sealed class ScalarCodecTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-scalar-").FullName;

    private static RunSettings Options(int calibrationSamples = 0, params (string Key, string Value)[] levers) => new()
    {
        Codec = ScalarCodec.CodecId,
        ValidationSamples = 300,
        CodecOptions = levers.ToDictionary(l => l.Key, l => l.Value),
        Calibration = new CalibrationSettings(Samples: calibrationSamples, Steps: 40, BatchSize: 32, Budget: 1),
        Search = new SearchSettings(Population: 8, Generations: 2, KMin: 4, KMax: 64, Seed: 1),
    };

    [Theory]
    [InlineData("rans", "brotli")]
    [InlineData("huffman", "deflate")]
    [InlineData("context", "brotli")]
    [InlineData("auto", "deflate")]
    public void Finish_EveryCoderAndResidual_WritesAVersion2FileThatRebuildsTheCheckpoint(string coder, string residual)
    {
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options(0, ("coder", coder), ("residual", residual)));
        var compressed = Path.Combine(_directory, "s.wsz");
        var checkpoint = Path.Combine(_directory, "s.pt");

        var figures = session.Finish(new SolutionPlan([16, 1, 0, 2, 1, 0]), compressed, checkpoint);

        using var input = File.OpenRead(compressed);
        var content = WszReader.Read(input);
        Assert.Equal((2, "scalar"), (content.Version, content.CodecId));
        Assert.Equal(residual == "brotli" ? WszResidualCoding.Brotli : WszResidualCoding.Deflate, content.ResidualCoding);
        Assert.Equal(File.ReadAllBytes(checkpoint), WszDecoder.ReconstructToArray(content));
        Assert.Equal(figures.SharedValues, ScalarDistinct(checkpoint, session));
        output.WriteLine($"{coder}/{residual}: {figures.Description}, {figures.CompressedBytes} bytes, {figures.BitsPerWeight:F3} bits/weight, test {figures.TestAccuracy:P2}");
    }

    [Fact]
    public void Finish_DebugTablesDropped_SmallerFileThatRebuildsALoadableCheckpointWithTheSameFigures()
    {
        var plan = new SolutionPlan([16, 1, 0, 2, 1, 0]);
        using var keep = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options());
        using var drop = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options(0, ("debug", "drop")));
        var kept = keep.Finish(plan, Path.Combine(_directory, "keep.wsz"), Path.Combine(_directory, "keep.pt"));
        var compressed = Path.Combine(_directory, "drop.wsz");
        var checkpoint = Path.Combine(_directory, "drop.pt");

        var dropped = drop.Finish(plan, compressed, checkpoint);

        // Smaller by at least most of the deflated debug tables (7.5 KB on this model), the same model otherwise.
        output.WriteLine($"debug tables kept {kept.CompressedBytes} bytes, dropped {dropped.CompressedBytes} bytes");
        Assert.True(dropped.CompressedBytes < kept.CompressedBytes - 4_000, $"{dropped.CompressedBytes} against {kept.CompressedBytes}");
        Assert.Equal(kept.OriginalBytes, dropped.OriginalBytes);
        Assert.Equal((kept.ValidationAccuracy, kept.TestAccuracy, kept.SharedValues), (dropped.ValidationAccuracy, dropped.TestAccuracy, dropped.SharedValues));
        using (var input = File.OpenRead(compressed))
        {
            Assert.Equal(File.ReadAllBytes(checkpoint), WszDecoder.ReconstructToArray(WszReader.Read(input)));
        }
        using (var archive = System.IO.Compression.ZipFile.OpenRead(checkpoint))
        {
            Assert.DoesNotContain(archive.Entries, e => e.FullName.EndsWith(".debug_pkl", StringComparison.Ordinal));
        }
        Assert.Equal(dropped.SharedValues, ScalarDistinct(checkpoint, drop));
    }

    [Fact]
    public void FileBytes_SearchEstimate_IsWithinAFewBytesOfTheFileWritten()
    {
        // rANS named: a new run's coder=auto also tries the context coder, whose file may come in below the estimate.
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options(0, ("coder", "rans")));
        var plan = new SolutionPlan([24, 2, 1, 0, 0, 1]);
        var estimate = session.FileBytes(session.Quantize(plan));

        var figures = session.Finish(plan, Path.Combine(_directory, "e.wsz"), Path.Combine(_directory, "e.pt"));

        Assert.InRange(figures.CompressedBytes - estimate, -16, 16);
    }

    [Fact]
    public void Quantize_WiderZeroBinAndFinerSteps_MoreZerosFewerBitsOrMoreValues()
    {
        var codec = new ScalarCodec();
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options());
        var weights = new float[session.Weights.Count];

        codec.Quantize(session.Weights, new SolutionPlan([16, 0, 0, 0, 0, 0])).Dequantize(weights);
        var plainZeros = weights.Count(w => w == 0 || Math.Abs(w) < 1e-9);
        var plain = codec.Quantize(session.Weights, new SolutionPlan([16, 0, 0, 0, 0, 0]));
        var wide = codec.Quantize(session.Weights, new SolutionPlan([16, 3, 0, 0, 0, 0]));
        var fine = codec.Quantize(session.Weights, new SolutionPlan([16, 0, 2, 2, 2, 2]));

        Assert.True(wide.BlockBytes < plain.BlockBytes, $"{wide.BlockBytes} < {plain.BlockBytes}");
        Assert.True(fine.SharedValues > plain.SharedValues);
        Assert.Throws<InvalidInputException>(() => codec.Quantize(session.Weights, new SolutionPlan([16, 0, 3, 0, 0, 0])));
        Assert.Contains("zero bin", wide.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CalibrationThatLowersValidation_KeepsThePointUncalibrated()
    {
        // Arrange: step sizes far too large for the values and the small parameters wreck the calibrated model.
        var options = Options(calibrationSamples: 500) with
        {
            Search = new SearchSettings(8, 2, 6, 12, 1),
            Calibration = new CalibrationSettings(Samples: 500, Steps: 20, BatchSize: 32, ValueLearningRate: 0.9, SmallLearningRate: 0.9, Budget: 1),
        };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var store = new InMemoryRunStore(_directory);
        var messages = new List<string>();

        // Act
        await new CompressionPipeline(session, store, new SyncProgress<PipelineProgress>(p => messages.Add(p.Message))).RunAsync(CancellationToken.None);

        // Assert: the run says so, offers no calibrated file, and the point the bisection tried kept its interval.
        Assert.Contains(messages, m => m.Contains("the point is kept uncalibrated", StringComparison.Ordinal));
        Assert.DoesNotContain(store.Finished, f => f.Solution.Plan.IsRefined);
        Assert.Contains(store.Finished, f => f.Solution.ValidationLoss is not null);
    }

    [Fact]
    public async Task RunAsync_WithCalibration_CalibratedSolutionBeatsItsUncalibratedSelfAndCarriesItsSmallParameters()
    {
        // Arrange: a coarse lattice leaves room for calibration to recover accuracy.
        var options = Options(calibrationSamples: 500) with { Search = new SearchSettings(8, 2, 6, 12, 1) };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var store = new InMemoryRunStore(_directory);

        // Act
        await new CompressionPipeline(session, store).RunAsync(CancellationToken.None);

        // Assert: one point was calibrated (budget 1); it keeps its genes, and its own uncalibrated measure is worse.
        Assert.Equal(500, session.CalibrationCount);
        var calibrated = Assert.Single(store.Finished, f => f.Solution.Plan.IsRefined);
        var uncalibrated = session.Evaluate(session.Quantize(calibrated.Solution.Plan with { Refinement = null })).Accuracy;
        output.WriteLine($"{calibrated.Figures.Description}: validation {uncalibrated:P2} -> {calibrated.Figures.ValidationAccuracy:P2}, test {calibrated.Figures.TestAccuracy:P2}, {calibrated.Files.CompressedName}");
        Assert.True(calibrated.Figures.ValidationAccuracy > uncalibrated, $"{calibrated.Figures.ValidationAccuracy} > {uncalibrated}");
        Assert.EndsWith("-calibrated.wsz", calibrated.Files.CompressedName, StringComparison.Ordinal);
        // The bisection judged it by its loss interval on the whole validation split: the one its figures report.
        Assert.NotNull(calibrated.Solution.ValidationLoss);
        Assert.Equal(calibrated.Figures.ValidationLoss, calibrated.Solution.ValidationLoss);

        // The file rebuilds the checkpoint, whose biases and norm parameters are the calibrated ones, not the upload's.
        using var input = File.OpenRead(calibrated.Files.CompressedPath);
        Assert.Equal(File.ReadAllBytes(calibrated.Files.CheckpointPath), WszDecoder.ReconstructToArray(WszReader.Read(input)));
        using var original = ScriptedModel.Load(Fixtures.Path("fmnist_cnn.pt"));
        using var written = ScriptedModel.Load(calibrated.Files.CheckpointPath);
        Assert.NotEqual(original.ReadFlat(["fc1.bias"]), written.ReadFlat(["fc1.bias"]));
        Assert.Equal(calibrated.Figures.SharedValues, written.ReadFlat(session.Shared.Select(s => s.Name).ToArray()).Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_Calibrating_ProgressRisesAndTimeLeftFallsWithTheCalibrationSteps()
    {
        // Arrange: a tiny calibrating run (one point, 40 steps), every progress tick recorded.
        var options = Options(calibrationSamples: 500) with { Search = new SearchSettings(8, 2, 6, 12, 1) };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var store = new InMemoryRunStore(_directory);
        var ticks = new List<PipelineProgress>();
        var stored = new List<double>();

        // Act
        await new CompressionPipeline(session, store, new SyncProgress(tick =>
        {
            ticks.Add(tick);
            stored.Add(store.Progress);
        })).RunAsync(CancellationToken.None);

        // Assert: a tick per step, each pricing the steps left at the steps' measured cost, so the bar moves through it.
        var steps = ticks.Where(t => t.Phase == PipelinePhase.Refine && t.Message.Contains(" step ", StringComparison.Ordinal)).ToList();
        var pairs = steps.Zip(steps.Skip(1)).ToList();
        var rises = pairs.Count(p => p.Second.Fraction > p.First.Fraction);
        var falls = pairs.Count(p => p.Second.Remaining < p.First.Remaining);
        output.WriteLine($"{steps.Count} step ticks: fraction {steps[0].Fraction:P1} -> {steps[^1].Fraction:P1} ({rises} rises), remaining {steps[0].Remaining?.TotalSeconds:F2} s -> {steps[^1].Remaining?.TotalSeconds:F2} s ({falls} falls)");
        Assert.Equal(40, steps.Count);
        Assert.True(rises >= 15, $"The fraction rose {rises} times in 40 steps.");
        Assert.True(falls >= 15, $"The time left fell {falls} times in 40 steps.");
        Assert.True(steps[^1].Remaining < steps[0].Remaining);
        var during = ticks.Select((t, i) => (t, i)).Where(x => steps.Contains(x.t)).Select(x => stored[x.i]).Distinct().Count();
        Assert.True(during >= 3, $"The stored progress took {during} values during the calibration.");
    }

    [Fact]
    public async Task RunAsync_StoppedAfterTheFirstCalibrationThenResumed_CalibratesTheNextPointAsAStraightRunDoes()
    {
        // Two calibrations: the second must start from the uploaded model's small parameters in both runs.
        var options = Options(calibrationSamples: 400) with
        {
            Search = new SearchSettings(8, 2, 6, 30, 1),
            Calibration = new CalibrationSettings(Samples: 400, Steps: 25, BatchSize: 32, Budget: 2, TargetLoss: 0),
        };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var straight = new InMemoryRunStore(Path.Combine(_directory, "straight"));
        await new CompressionPipeline(session, straight).RunAsync(CancellationToken.None);
        Assert.Equal(2, straight.Plans.Count(p => p.Plan.IsRefined));

        var resumed = new InMemoryRunStore(Path.Combine(_directory, "resumed"));
        using var stop = new CancellationTokenSource();
        var first = new CompressionPipeline(session, resumed, new SyncProgress(p =>
        {
            if (p.Message.StartsWith("Chose", StringComparison.Ordinal) && p.Message.EndsWith("calibrated", StringComparison.Ordinal))
            {
                stop.Cancel();
            }
        }));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(stop.Token));
        Assert.Single(resumed.Plans);

        await new CompressionPipeline(session, resumed).RunAsync(CancellationToken.None);

        Assert.Equal(
            straight.Finished.OrderBy(f => f.Files.CompressedName, StringComparer.Ordinal).Select(f => (f.Files.CompressedName, f.Figures)),
            resumed.Finished.OrderBy(f => f.Files.CompressedName, StringComparer.Ordinal).Select(f => (f.Files.CompressedName, f.Figures)));
    }

    [Fact]
    public void Read_ScalarBlockWithMoreTablesThanSegmentsNeed_IsRefusedBeforeAllocatingThem()
    {
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options());
        var compressed = Path.Combine(_directory, "t.wsz");
        session.Finish(new SolutionPlan([16, 0, 0, 0, 0, 0]), compressed, Path.Combine(_directory, "t.pt"));
        WszContent content;
        using (var input = File.OpenRead(compressed))
        {
            content = WszReader.Read(input);
        }
        var block = content.CodecBlock.ToArray();
        var values = BitConverter.ToInt32(block, 0);
        var tableCountAt = 4 + (4 * values) + 1;

        block[tableCountAt] = 0xFF;
        block[tableCountAt + 1] = 0xFF;
        var error = Assert.Throws<InvalidInputException>(() => new ScalarCodec().Validate(block, content.Segments));

        Assert.Contains("65535 tables", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_UnknownLever_IsRefusedWithWhatItTakes()
    {
        var error = Assert.Throws<InvalidInputException>(() => new ScalarCodec().Configure(new Dictionary<string, string> { ["coder"] = "zip" }));

        Assert.Contains("auto, rans, huffman or context", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidInputException>(() => new WeightShare.Engine.Codecs.Paper.PaperCodec().Configure(new Dictionary<string, string> { ["coder"] = "rans" }));
    }

    private static int ScalarDistinct(string checkpoint, CompressionSession session)
    {
        using var model = ScriptedModel.Load(checkpoint);
        return model.ReadFlat(session.Shared.Select(s => s.Name).ToArray()).Distinct().Count();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class SyncProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
