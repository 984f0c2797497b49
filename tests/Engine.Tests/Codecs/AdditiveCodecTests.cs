using System.Diagnostics;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Additive;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Wsz;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Codecs;

/// <summary>Cross-layer additive quantization (arXiv 2111.10320): its fit, its files, its fine-tuning and its search.</summary>
public sealed class AdditiveCodecTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-additive-").FullName;

    private static RunSettings Options(int calibrationSamples = 0, int steps = 40, int budget = 1, params (string Key, string Value)[] levers) => new()
    {
        Codec = AdditiveCodec.CodecId,
        ValidationSamples = 300,
        CodecOptions = levers.ToDictionary(l => l.Key, l => l.Value),
        Calibration = new CalibrationSettings(Samples: calibrationSamples, Steps: steps, BatchSize: 32, Budget: budget),
        Search = new SearchSettings(Population: 8, Generations: 2, Seed: 1),
    };

    [Theory]
    [InlineData(8, 2, 6)]
    [InlineData(3, 1, 8)]
    [InlineData(1, 1, 4)]
    public void Finish_AdditivePlan_WritesAVersion2FileThatRebuildsTheCheckpointWithinTheEstimate(int d, int m, int bits)
    {
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options());
        var plan = new SolutionPlan([d, m, bits]);
        var compressed = Path.Combine(_directory, "a.wsz");
        var checkpoint = Path.Combine(_directory, "a.pt");
        var estimate = session.FileBytes(session.Quantize(plan));

        var figures = session.Finish(plan, compressed, checkpoint);

        using var input = File.OpenRead(compressed);
        var content = WszReader.Read(input);
        Assert.Equal((2, AdditiveCodec.CodecId), (content.Version, content.CodecId));
        Assert.Equal(File.ReadAllBytes(checkpoint), WszDecoder.ReconstructToArray(content));
        Assert.InRange(figures.CompressedBytes - estimate, -16, 16);
        // Codes cost at most m x bits per d weights, and rANS comes near their entropy.
        Assert.InRange(figures.BitsPerWeight, 0, (m * bits / (double)d) + 0.01);
        Assert.Equal(m << bits, figures.SharedValues);
        output.WriteLine($"{figures.Description}: {figures.CompressedBytes} bytes ({figures.OriginalBytes / (double)figures.CompressedBytes:F2}x), {figures.BitsPerWeight:F3} bits/weight, test {figures.TestAccuracy:P2}");
    }

    [Fact]
    public void Quantize_BeamSearchAndCodebookUpdates_LowerTheErrorOfPlainResidualQuantization()
    {
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options());
        var plain = new AdditiveCodec();
        plain.Configure(new Dictionary<string, string> { ["beam"] = "1", ["rounds"] = "0" });
        var full = new AdditiveCodec();
        var plan = new SolutionPlan([8, 2, 6]);

        var plainError = SquaredError(session.Weights, plain.Quantize(session.Weights, plan));
        var fullError = SquaredError(session.Weights, full.Quantize(session.Weights, plan));

        output.WriteLine($"residual quantization {plainError:G4}, beam 4 with 3 rounds {fullError:G4}");
        Assert.True(fullError < plainError * 0.97, $"{fullError} < 0.97 x {plainError}");
    }

    [Fact]
    public void Quantize_OneWeightOneCodebook_IsScalarSharingAtLeastAsCloseAsThePaperBins()
    {
        // d = 1, M = 1 is scalar weight sharing: K values, every weight its nearest one (k-means), so no worse than
        // the paper codec's K uniform bins with their means.
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options());
        var additive = session.Quantize(new SolutionPlan([1, 1, 5]));
        var paper = new WeightShare.Engine.Codecs.Paper.PaperCodec().Quantize(session.Weights, new SolutionPlan([32]));
        var values = new float[session.Weights.Count];
        additive.Dequantize(values);
        var codebook = values.Distinct().Order().ToArray();

        Assert.InRange(codebook.Length, 2, 32);
        for (var i = 0; i < values.Length; i += 97)
        {
            var nearest = codebook.MinBy(c => Math.Abs(c - session.Weights.Values[i]));
            Assert.True(Math.Abs(nearest - session.Weights.Values[i]) >= Math.Abs(values[i] - session.Weights.Values[i]) - 1e-6, $"weight {i}");
        }
        var (additiveError, paperError) = (SquaredError(session.Weights, additive), SquaredError(session.Weights, paper));
        output.WriteLine($"d = 1, M = 1, K = 32: {additiveError:G4}; paper k = 32: {paperError:G4}");
        Assert.True(additiveError <= paperError, $"{additiveError} <= {paperError}");
    }

    [Fact]
    public async Task RunAsync_WithFineTuning_FineTunedSolutionBeatsItsOwnCodesBeforeAndRebuildsFromItsRecord()
    {
        var options = Options(calibrationSamples: 500, steps: 40) with { Search = new SearchSettings(Population: 6, Generations: 1, Seed: 3) };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var store = new InMemoryRunStore(_directory);
        var steps = new List<string>();

        await new CompressionPipeline(session, store, new SyncProgress(p => steps.Add(p.Message))).RunAsync(CancellationToken.None);

        var tuned = Assert.Single(store.Finished, f => f.Solution.Plan.IsRefined);
        var before = session.Evaluate(session.Quantize(tuned.Solution.Plan with { Refinement = null })).Accuracy;
        output.WriteLine($"{tuned.Figures.Description}: validation {before:P2} -> {tuned.Figures.ValidationAccuracy:P2}, test {tuned.Figures.TestAccuracy:P2}, {tuned.Files.CompressedName}");
        Assert.True(tuned.Figures.ValidationAccuracy > before, $"{tuned.Figures.ValidationAccuracy} > {before}");
        Assert.EndsWith("-fine-tuned.wsz", tuned.Files.CompressedName, StringComparison.Ordinal);
        Assert.Contains(steps, s => s.Contains("fine-tuning step 40 of 40", StringComparison.Ordinal));

        // The record holds the codes and codewords: a fresh codec rebuilds the very block the file holds.
        var again = new AdditiveCodec().Quantize(session.Weights, tuned.Solution.Plan);
        using var input = File.OpenRead(tuned.Files.CompressedPath);
        var content = WszReader.Read(input);
        Assert.Equal(again.Encode().Block, content.CodecBlock);
        Assert.Equal(File.ReadAllBytes(tuned.Files.CheckpointPath), WszDecoder.ReconstructToArray(content));
    }

    [Fact]
    public async Task RunAsync_StoppedAfterTheFineTuningThenResumed_FinishesAsAStraightRunDoes()
    {
        var options = Options(calibrationSamples: 400, steps: 20) with { Search = new SearchSettings(Population: 6, Generations: 1, Seed: 5) };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var straight = new InMemoryRunStore(Path.Combine(_directory, "straight"));
        await new CompressionPipeline(session, straight).RunAsync(CancellationToken.None);

        var resumed = new InMemoryRunStore(Path.Combine(_directory, "resumed"));
        using var stop = new CancellationTokenSource();
        var first = new CompressionPipeline(session, resumed, new SyncProgress(p =>
        {
            if (p.Message.StartsWith("Chose", StringComparison.Ordinal) && p.Message.EndsWith("fine-tuned", StringComparison.Ordinal))
            {
                stop.Cancel();
            }
        }));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(stop.Token));
        Assert.Contains(resumed.Plans, p => p.Plan.IsRefined);
        Assert.Empty(resumed.Finished);
        await new CompressionPipeline(session, resumed).RunAsync(CancellationToken.None);

        Assert.Equal(
            straight.Finished.OrderBy(f => f.Files.CompressedName, StringComparer.Ordinal).Select(f => (f.Files.CompressedName, f.Figures)),
            resumed.Finished.OrderBy(f => f.Files.CompressedName, StringComparer.Ordinal).Select(f => (f.Files.CompressedName, f.Figures)));
    }

    [Fact]
    public async Task RefineAsync_LabelsLoss_FineTunesWithCrossEntropyAndBeatsTheCodesBefore()
    {
        var options = Options(calibrationSamples: 500) with { Calibration = new CalibrationSettings(Samples: 500, Steps: 40, BatchSize: 32, Loss: CalibrationLoss.Labels) };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var plan = new SolutionPlan([16, 1, 8]);
        var before = session.Evaluate(session.Quantize(plan)).Accuracy;
        var lines = new List<string>();

        var refinement = await session.RefineAsync(plan, null, CancellationToken.None, new SyncStatus(lines.Add));

        Assert.NotNull(refinement);
        output.WriteLine($"{string.Join(" | ", lines.Where(l => !l.Contains("step", StringComparison.Ordinal)))}; validation {before:P2} -> {refinement.ValidationMetric:P2}");
        Assert.True(refinement.ValidationMetric > before, $"{refinement.ValidationMetric} > {before}");
        Assert.Contains(lines, l => l.StartsWith("fine-tuned: cross-entropy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new byte[] { 0, 2, 6 }, "d = 0")]
    [InlineData(new byte[] { 8, 9, 6 }, "M = 9")]
    [InlineData(new byte[] { 8, 2, 13 }, "log2 K = 13")]
    [InlineData(new byte[] { 8, 2, 12, 1, 2, 3 }, "codeword values")]
    [InlineData(new byte[] { 8 }, "ends inside its header")]
    public void Validate_BrokenBlock_IsRefusedWithWhatIsWrong(byte[] block, string expected)
    {
        var codec = new AdditiveCodec();
        var segments = new[] { new WszSegment("w", 0, 1000, Tensors.TensorDType.Float32) };

        var error = Assert.Throws<InvalidInputException>(() => codec.Validate(block, segments));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BlockWithTrailingBytes_IsRefused()
    {
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options());
        var block = session.Quantize(new SolutionPlan([4, 1, 4])).Encode().Block;
        var segments = session.Shared.Select(s => new WszSegment(s.Name, s.FileOffset, s.ElementCount, s.DType)).ToArray();
        new AdditiveCodec().Validate(block, segments);

        var error = Assert.Throws<InvalidInputException>(() => new AdditiveCodec().Validate([.. block, 0], segments));

        Assert.Contains("after its last stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configure_UnknownOrOutOfRangeOption_IsRefusedWithWhatItTakes()
    {
        var codec = new AdditiveCodec();

        var error = Assert.Throws<InvalidInputException>(() => codec.Configure(new Dictionary<string, string> { ["beam"] = "99" }));

        Assert.Contains("beam: 1 to 16", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidInputException>(() => codec.Quantize(new SharedWeights([], []), new SolutionPlan([8, 5, 6])));
    }

    private static double SquaredError(SharedWeights weights, Quantization quantization)
    {
        var values = new float[weights.Count];
        quantization.Dequantize(values);
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var difference = (double)values[i] - weights.Values[i];
            sum += difference * difference;
        }
        return sum / values.Length;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class SyncStatus(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    private sealed class SyncProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
