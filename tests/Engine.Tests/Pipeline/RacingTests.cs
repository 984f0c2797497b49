using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Pipeline;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>Racing on the fixture CNN: candidates stop once confidently dominated, the front is measured in full.</summary>
public sealed class RacingTests(ITestOutputHelper output) : IDisposable
{
    private const int Validation = 1000;
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-racing-").FullName;

    // A calibrating run (one point, a few steps) focuses its search: the k = 2 files, 80 points down, lie beyond
    // calibration's reach, and racing stops them after one chunk.
    private static RunSettings Settings(bool racing, int generations = 4) => new()
    {
        Codec = ScalarCodec.CodecId,
        ValidationSamples = Validation,
        Calibration = new CalibrationSettings(Samples: 200, Steps: 5, BatchSize: 32, Budget: 1),
        Search = new SearchSettings(Population: 12, Generations: generations, KMin: 2, KMax: 256, Seed: 1, Patience: 0) { Racing = racing },
    };

    [Fact]
    public void Evaluate_AgainstAKnownPoint_StopsAClearlyWorseCandidateAfterOneChunkAndMeasuresAnEqualOneInFull()
    {
        // Arrange: a good plan measured on every sample, and a known point with its loss at the size of a bad plan.
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Settings(racing: true));
        var chunk = RacingRule.Chunk(session.Options.BatchSize);
        var good = session.Quantize(new SolutionPlan([64, 0, 0, 0, 0, 0]));
        var bad = session.Quantize(new SolutionPlan([2, 0, 0, 0, 0, 0]));
        var badBytes = session.FileBytes(bad);
        var full = session.Evaluate(good);
        var racing = new SearchRacing(Validation, chunk, null, [new SampledEvaluation([64, 0, 0, 0, 0, 0], badBytes, Validation, full.Loss!)]);

        // Act
        var raced = session.Evaluate(bad, chunk, soFar => racing.Stops(soFar, badBytes));
        var kept = session.Evaluate(good, chunk, soFar => racing.Stops(soFar, badBytes));

        // Assert
        output.WriteLine($"good: {full.Accuracy:P2}, loss {full.Loss}; bad after {raced.Samples}: {raced.Accuracy:P2}, loss {raced.Loss}");
        Assert.True(session.Racing);
        Assert.Equal(256, chunk);
        Assert.Equal(chunk, raced.Samples);
        Assert.True(raced.Loss!.Loss > 0.1, $"the k=2 plan lost only {raced.Loss.Loss:P1}");
        Assert.Equal(Validation, kept.Samples);
        // In chunks of whole batches the figures are those of one full measurement.
        Assert.Equal((full.Accuracy, full.Loss, full.Pairs), (kept.Accuracy, kept.Loss, kept.Pairs));
    }

    [Fact]
    public void Evaluate_CandidateSamples500_StopsAtTheChunkReachingItAndIsAKnownPointAfterwards()
    {
        // Arrange: racing that measures a candidate on at most 500 samples (two chunks of 256).
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Settings(racing: true));
        var chunk = RacingRule.Chunk(session.Options.BatchSize);
        var racing = new SearchRacing(Validation, chunk, null, [], candidateSamples: 500);
        var good = session.Quantize(new SolutionPlan([64, 0, 0, 0, 0, 0]));
        var bad = session.Quantize(new SolutionPlan([2, 0, 0, 0, 0, 0]));
        var badBytes = session.FileBytes(bad);

        // Act: the good plan, measured as far as the cap, becomes the known point the bad one is raced against.
        var capped = session.Evaluate(good, chunk, soFar => racing.Stops(soFar, badBytes));
        racing.Record([64, 0, 0, 0, 0, 0], badBytes, capped);
        var raced = session.Evaluate(bad, chunk, soFar => racing.Stops(soFar, badBytes));
        racing.Record([2, 0, 0, 0, 0, 0], badBytes, raced);

        // Assert
        Assert.Equal(512, capped.Samples);
        Assert.Equal(chunk, raced.Samples);
        Assert.Equal(1, racing.Raced);
        Assert.Equal(512 + chunk, racing.Samples);
    }

    [Fact]
    public async Task RunAsync_CandidateSamples500_SearchMeasuresAtMost512AndTheFrontIsMeasuredInFullBeforeRefining()
    {
        // Arrange
        var messages = new List<string>();
        var settings = Settings(racing: true) with { Search = Settings(racing: true).Search with { CandidateSamples = 500 } };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), settings);
        var store = new InMemoryRunStore(Path.Combine(_directory, "capped"));

        // Act
        await new CompressionPipeline(session, store, new Progress(p => messages.Add(p.Message))).RunAsync(CancellationToken.None);

        // Assert: no search evaluation went past the chunk reaching 500; the front got all 1,000 before refinement.
        var measured = store.Generations.SelectMany(g => g.Population).Select(p => p.ValidationSamples).ToList();
        Assert.Equal(512, measured.Max());
        Assert.All(store.Generations[^1].Racing, e => Assert.InRange(e.Samples, 1, 512));
        var front = Assert.Single(messages, m => m.Contains(" of the front's ", StringComparison.Ordinal));
        Assert.Matches(@"^Measuring [1-9]\d* of the front's [1-9]\d* points on all 1000 validation samples", front);
        Assert.NotEmpty(store.Finished);
    }

    [Fact]
    public async Task RunAsync_RacingOnAndOff_RacedSearchMeasuresItsFrontInFullWithFewerSamples()
    {
        var data = FixtureData.FashionMnistEvaluation();
        var on = await RunAsync(Settings(racing: true), data, "on");
        var off = await RunAsync(Settings(racing: false), data, "off");

        var (last, lastOff) = (on.Generations[^1], off.Generations[^1]);
        // Racing off: every evaluation on every sample.
        Assert.Equal(0, lastOff.RacedEvaluations);
        Assert.Equal((long)lastOff.Evaluations * Validation, lastOff.ValidationSamples);
        Assert.All(off.Generations.SelectMany(g => g.Population), p => Assert.Equal(Validation, p.ValidationSamples));
        Assert.Empty(lastOff.Racing);
        // Racing on: some stopped early, fewer samples in all, and every front point measured on every sample.
        Assert.InRange(last.RacedEvaluations, 1, last.Evaluations - 1);
        Assert.Equal(last.Evaluations, last.Racing.Count);
        Assert.Equal(last.Racing.Sum(e => (long)e.Samples), last.ValidationSamples);
        Assert.True(last.ValidationSamples < lastOff.ValidationSamples, $"{last.ValidationSamples} samples racing, {lastOff.ValidationSamples} without");
        Assert.Contains(on.Generations.SelectMany(g => g.Population), p => p.ValidationSamples < Validation);
        Assert.All(on.Generations.SelectMany(g => g.Front), p => Assert.Equal(Validation, p.ValidationSamples));
        Assert.NotEmpty(on.Finished);
    }

    [Fact]
    public async Task RunAsync_RacingStoppedAfterGeneration2ThenResumed_SameGenerationsAsAStraightRun()
    {
        var data = FixtureData.FashionMnistEvaluation();
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, Settings(racing: true, generations: 4));
        var straight = new InMemoryRunStore(Path.Combine(_directory, "straight"));
        await new CompressionPipeline(session, straight).RunAsync(CancellationToken.None);

        var resumed = new InMemoryRunStore(Path.Combine(_directory, "resumed"));
        using var stop = new CancellationTokenSource();
        var first = new CompressionPipeline(session, resumed, new Progress(p =>
        {
            if (p.Message == "Generation 2 of 4")
            {
                stop.Cancel();
            }
        }));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(stop.Token));
        Assert.Equal(2, resumed.Generations.Count);
        await new CompressionPipeline(session, resumed).RunAsync(CancellationToken.None);

        // The racing archive came back with the state: the same stops, the same samples, the same fronts.
        Assert.Equal(straight.Generations.Select(Summary), resumed.Generations.Select(Summary));
        Assert.Equal(straight.Finished.Select(s => s.Figures), resumed.Finished.Select(s => s.Figures));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<InMemoryRunStore> RunAsync(RunSettings settings, LabelledDataset data, string name)
    {
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), data, settings);
        var store = new InMemoryRunStore(Path.Combine(_directory, name));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await new CompressionPipeline(session, store).RunAsync(CancellationToken.None);
        var last = store.Generations[^1];
        output.WriteLine($"racing {name}: {last.Evaluations} evaluations, {last.RacedEvaluations} raced, {last.ValidationSamples} validation samples, search {store.TimeIn(PipelinePhase.Search).TotalSeconds:F1} s, run {clock.Elapsed.TotalSeconds:F1} s, {store.Finished.Count} solutions");
        return store;
    }

    private static string Summary(SearchGeneration g) =>
        $"{g.Generation}|{g.Hypervolume}|{g.Evaluations}|{g.RacedEvaluations}|{g.ValidationSamples}|" +
        string.Join(";", g.Population.Select(p => $"{string.Join(',', p.Genes)}:{p.Bytes}:{p.ValidationMetric}:{p.ValidationSamples}"));

    private sealed class Progress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
