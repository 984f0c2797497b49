using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Wsz;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>The product's pipeline, as the job runs it, over an in-memory store.</summary>
public sealed class PipelineEndToEndTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-e2e-").FullName;

    public PipelineEndToEndTests(ITestOutputHelper output) => _output = output;

    private static RunSettings Small => new()
    {
        Codec = PaperCodec.CodecId,
        ValidationSamples = 500,
        Search = new SearchSettings(Population: 16, Generations: 6, KMin: 2, KMax: 256, Seed: 1),
    };

    [Fact]
    public async Task RunAsync_FixtureCnn_ReachesTenfoldWithinOnePointOfTestAccuracy()
    {
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Small);
        var store = new InMemoryRunStore(_directory);
        var ticks = new List<PipelineProgress>();

        await new CompressionPipeline(session, store, new SyncProgress(ticks.Add)).RunAsync(CancellationToken.None);

        var baseline = store.Baseline!;
        _output.WriteLine($"baseline: validation {baseline.Validation.Accuracy:P2}, test {baseline.Test.Accuracy:P2}, {baseline.SizeBytes} bytes, {session.SharedWeightCount} shared weights");
        _output.WriteLine($"seconds: baseline {store.TimeIn(PipelinePhase.Baseline).TotalSeconds:F1}, search {store.TimeIn(PipelinePhase.Search).TotalSeconds:F1}, refine {store.TimeIn(PipelinePhase.Refine).TotalSeconds:F1}, finish {store.TimeIn(PipelinePhase.Finish).TotalSeconds:F1}");
        foreach (var solution in store.Finished)
        {
            var f = solution.Figures;
            _output.WriteLine($"{f.Description,-36} val {f.ValidationAccuracy:P2} test {f.TestAccuracy:P2} bits {f.BitsPerWeight:F2} wsz {f.CompressedBytes} file x{f.FileCompressionRatio:F2} paper x{f.PaperCompressionRatio:F2} ({solution.Files.CompressedName})");
        }

        Assert.Equal(PipelinePhase.Done, store.Phase);
        Assert.Equal([1, 2, 3, 4, 5, 6], store.Generations.Select(g => g.Generation));
        Assert.Equal(store.Plans.Count, store.Finished.Count);
        var best = store.Finished.Select(s => s.Figures)
            .Where(s => s.TestAccuracy >= baseline.Test.Accuracy - 0.01)
            .MaxBy(s => s.FileCompressionRatio);
        Assert.NotNull(best);
        Assert.True(best.FileCompressionRatio >= 10, $"best file ratio within one point was {best.FileCompressionRatio:F2}");
        foreach (var solution in store.Finished)
        {
            Assert.Equal(new FileInfo(solution.Files.CompressedPath).Length, solution.Figures.CompressedBytes);
            Assert.Matches(@"^fmnist_cnn-k\d+(-merged)?\.wsz$", solution.Files.CompressedName);
            Assert.Equal(Path.GetFileNameWithoutExtension(solution.Files.CompressedName) + ".pt", solution.Files.CheckpointName);
        }
        // Progress rises through the phases to 1, and every phase ends with a tick that a throttle lets through.
        Assert.Equal(1.0, ticks[^1].Fraction);
        Assert.All(ticks.Zip(ticks.Skip(1)), p => Assert.True(p.Second.Fraction >= p.First.Fraction, $"{p.First} then {p.Second}"));
        Assert.Equal([PipelinePhase.Baseline, PipelinePhase.Search, PipelinePhase.Refine, PipelinePhase.Finish], ticks.Where(t => t.PhaseEnd).Select(t => t.Phase));
        Assert.Contains(ticks, t => t.Refine is { } step && step.Parameters.ContainsKey("k"));
    }

    [Fact]
    public async Task RunAsync_StoppedAfterGeneration3ThenResumed_SameGenerationsAndSolutionsAsAStraightRun()
    {
        var data = FixtureData.FashionMnistEvaluation();
        var options = Small with { ValidationSamples = 300, Search = new SearchSettings(8, 5, 2, 64, 1) };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, options);
        var straight = new InMemoryRunStore(Path.Combine(_directory, "straight"));
        await new CompressionPipeline(session, straight).RunAsync(CancellationToken.None);

        // The first attempt stops right after generation 3 is stored, as a shutdown would stop it.
        var resumed = new InMemoryRunStore(Path.Combine(_directory, "resumed"));
        using var stop = new CancellationTokenSource();
        var first = new CompressionPipeline(session, resumed, new SyncProgress(p =>
        {
            if (p.Message == "Generation 3 of 5")
            {
                stop.Cancel();
            }
        }));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(stop.Token));
        Assert.Equal(PipelinePhase.Search, resumed.Phase);
        Assert.Equal(3, resumed.Generations.Count);

        var again = new List<PipelineProgress>();
        await new CompressionPipeline(session, resumed, new SyncProgress(again.Add)).RunAsync(CancellationToken.None);

        Assert.Equal(PipelinePhase.Done, resumed.Phase);
        Assert.Equal(straight.Generations.Select(Summary), resumed.Generations.Select(Summary));
        // The resumed attempt prices its work from the stored baseline time and counts the earlier attempt's time as
        // spent: an estimate from its first tick, and progress that does not start again from nothing.
        Assert.All(again, t => Assert.NotNull(t.Remaining));
        Assert.True(again[0].Fraction > 0.05, $"The resumed run started at {again[0].Fraction:P1}.");
        Assert.Equal(
            straight.Finished.Select(s => (s.Files.CompressedName, s.Figures)),
            resumed.Finished.Select(s => (s.Files.CompressedName, s.Figures)));
    }

    [Fact]
    public async Task RunAsync_StopSearchAfterGeneration2_RefinesAndFinishesTheFrontOfGeneration2()
    {
        var data = FixtureData.FashionMnistEvaluation();
        var options = Small with { ValidationSamples = 300, Search = new SearchSettings(8, 40, 2, 64, 1) };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, options);
        var store = new InMemoryRunStore(_directory);
        var ticks = new List<PipelineProgress>();
        using var stopSearch = new CancellationTokenSource();
        var pipeline = new CompressionPipeline(session, store, new SyncProgress(p =>
        {
            ticks.Add(p);
            // Asked for mid-generation 3: the search ends within one evaluation, at the stored generation 2.
            if (p.Message.StartsWith("Generation 3 of 40: evaluation 2 of", StringComparison.Ordinal))
            {
                stopSearch.Cancel();
            }
        }));

        await pipeline.RunAsync(CancellationToken.None, stopSearch.Token);

        Assert.Equal(PipelinePhase.Done, store.Phase);
        Assert.Equal([1, 2], store.Generations.Select(g => g.Generation));
        Assert.NotEmpty(store.Finished);
        var front = store.Generations[^1].Front.Select(p => string.Join(',', p.Genes)).ToHashSet();
        Assert.All(store.Plans, p => Assert.Contains(string.Join(',', p.Plan.Genes), front));
        Assert.Contains(ticks, t => t.PhaseEnd && t.Message.StartsWith("Search stopped by request after generation 2 of 40", StringComparison.Ordinal));
        // Progress inside a generation, a measured estimate once the baseline is known, and none left at the end.
        Assert.Contains(ticks, t => t.Message == "Generation 2 of 40: evaluation 8 of 8");
        Assert.Null(ticks[0].Remaining);
        Assert.All(ticks.SkipWhile(t => t.Phase == PipelinePhase.Baseline && !t.PhaseEnd), t => Assert.NotNull(t.Remaining));
        Assert.Equal(TimeSpan.Zero, ticks[^1].Remaining);
        Assert.Equal(1.0, ticks[^1].Fraction);
    }

    [Fact]
    public async Task RunAsync_StopSearchBeforeTheFirstGeneration_CompletesGeneration1AndKeepsIt()
    {
        var data = FixtureData.FashionMnistEvaluation();
        var options = Small with { ValidationSamples = 300, Search = new SearchSettings(6, 40, 2, 64, 1) };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, options);
        var store = new InMemoryRunStore(_directory);
        using var stopSearch = new CancellationTokenSource();
        stopSearch.Cancel();

        await new CompressionPipeline(session, store).RunAsync(CancellationToken.None, stopSearch.Token);

        Assert.Equal(PipelinePhase.Done, store.Phase);
        Assert.Equal([1], store.Generations.Select(g => g.Generation));
        Assert.NotEmpty(store.Finished);
    }

    [Theory]
    [InlineData("fmnist_cnn.pt")]
    [InlineData("fmnist_cnn_libtorch210.pt")] // written by libtorch 2.10, as users' PyTorch 2.x files are
    public async Task Finish_Solution_CheckpointLoadsAndDecompressesToTheSameBytes(string model)
    {
        var data = FixtureData.FashionMnistEvaluation();
        var options = new RunSettings { Codec = PaperCodec.CodecId, ValidationSamples = 500 };
        using var session = CompressionSession.Open(Fixtures.Path(model), data, options);
        var compressed = Path.Combine(_directory, "k32.wsz");
        var checkpoint = Path.Combine(_directory, "k32.pt");

        var refinement = await session.RefineAsync(new SolutionPlan([32]), null, CancellationToken.None);
        var figures = session.Finish(refinement!.Plan, compressed, checkpoint);

        // The checkpoint is a TorchScript file that torch.jit.load opens, holding exactly the codebook's values.
        using (var reloaded = ScriptedModel.Load(checkpoint))
        {
            var names = session.Shared.Select(s => s.Name).ToArray();
            var values = reloaded.ReadFlat(names).Distinct().Count();
            Assert.Equal(figures.SharedValues, values);
        }

        // Decompressing the .wsz file (version 1, the paper codec's) rebuilds the checkpoint byte for byte.
        using var reconstructed = new MemoryStream();
        using (var input = File.OpenRead(compressed))
        {
            var content = WszReader.Read(input);
            Assert.Equal(1, content.Version);
            WszDecoder.Reconstruct(content, reconstructed);
        }
        Assert.Equal(File.ReadAllBytes(checkpoint), reconstructed.ToArray());
        Assert.True(figures.CompressedBytes < new FileInfo(checkpoint).Length / 8);
    }

    [Theory]
    [InlineData("my model.pt", "my model.pt")]
    [InlineData("folder/model.pt", "fmnist_cnn.pt")]
    [InlineData(null, "fmnist_cnn.pt")]
    public void Finish_ModelFileNameGiven_TheWszRecordsItWhenTheFormatCanHoldIt(string? given, string recorded)
    {
        var data = FixtureData.FashionMnistEvaluation();
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, new RunSettings { Codec = PaperCodec.CodecId, ValidationSamples = 300 }, given);
        var compressed = Path.Combine(_directory, "k8.wsz");

        var figures = session.Finish(new SolutionPlan([8]), compressed, Path.Combine(_directory, "k8.pt"));

        Assert.Equal(recorded, session.ModelFileName);
        using var input = File.OpenRead(compressed);
        Assert.Equal(recorded, WszReader.Read(input).OriginalFileName);
        Assert.Equal(new FileInfo(compressed).Length, figures.CompressedBytes);
    }

    [Fact]
    public void Open_StateDictWithoutArchitecture_ExplainsWhatToUpload()
    {
        var data = FixtureData.FashionMnistEvaluation();

        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.Open(Fixtures.Path("fmnist_cnn_state.pt"), data, new RunSettings { Codec = PaperCodec.CodecId }));

        Assert.Contains("TorchScript", error.Message);
    }

    [Fact]
    public void Open_UnknownCodec_NamesTheCodecsThereAre()
    {
        var data = FixtureData.FashionMnistEvaluation();

        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, new RunSettings { Codec = "zip" }));

        Assert.Equal("codec 'zip' is not one of: paper, scalar, additive.", error.Message);
    }

    [Fact]
    public void Open_ModelOneByteOverTheWszLimit_IsRefusedNamingTheLimit()
    {
        // Arrange: a sparse file, made at once and taking no disk; the limit is what one .NET byte array holds.
        var data = FixtureData.FashionMnistEvaluation();
        var model = Path.Combine(_directory, "huge.pt");
        using (var file = File.Create(model))
        {
            file.SetLength(WszBuilder.MaxOriginalBytes + 1);
        }

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.Open(model, data, new RunSettings { Codec = PaperCodec.CodecId }));

        // Assert
        Assert.Equal(WszBuilder.MaxOriginalBytes, Array.MaxLength);
        Assert.Contains($"{WszBuilder.MaxOriginalBytes:N0} bytes a .wsz file can hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AllTrainableScope_SharesBiasesAndNormScalesToo()
    {
        var data = FixtureData.FashionMnistEvaluation();

        using var weights = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, new RunSettings { Codec = PaperCodec.CodecId });
        using var all = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, new RunSettings { Codec = PaperCodec.CodecId, Scope = SharedScope.AllTrainable });

        Assert.Equal(206_736, weights.SharedWeightCount);
        Assert.All(weights.Shared, s => Assert.EndsWith(".weight", s.Name));
        Assert.Contains(all.Shared, s => s.Name == "fc1.bias");
        Assert.Contains(all.Shared, s => s.Name == "bn1.weight");
        Assert.DoesNotContain(all.Shared, s => s.Name.Contains("running"));
        // Biases: 16 + 32 + 128 + 10; BatchNorm scales and shifts: 2 x (16 + 32).
        Assert.Equal(206_736 + 186 + 96, all.SharedWeightCount);
        // Shapes come with the tensors: conv weights are [out, in, kh, kw].
        Assert.Equal(4, weights.Shared[0].Shape.Length);
        Assert.Equal(weights.Shared[0].ElementCount, weights.Shared[0].Shape.Aggregate(1L, (a, b) => a * b));
    }

    [Fact]
    public void Open_DatasetOfAnotherShape_IsRefusedBeforeAnyWork()
    {
        var data = FixtureData.FashionMnistEvaluation();
        var cifarShaped = new LabelledDataset(new float[data.Count * 3 * 32 * 32], data.Labels, [3, 32, 32], data.Classes);

        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), cifarShaped, new RunSettings { Codec = PaperCodec.CodecId }));

        Assert.Contains("[2, 3, 32, 32]", error.Message);
    }

    private static (int, double?, int, int, string) Summary(SearchGeneration g) =>
        (g.Generation, g.Hypervolume, g.Evaluations, g.CacheHits, string.Join(";", g.Front.Select(p => $"{p.Genes[0]}:{p.SharedValues}:{p.ValidationMetric}")));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class SyncProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
