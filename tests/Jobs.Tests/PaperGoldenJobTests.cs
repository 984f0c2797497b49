using System.Security.Cryptography;
using System.Text.Json;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Jobs.Events;
using WeightShare.Jobs.Runs;

namespace WeightShare.Jobs.Tests;

/// <summary>
/// The product's job, now a thin runner of the Engine's pipeline over the database, gives exactly the runs the job
/// gave before: Golden/paper-*.json were recorded from main at 619db07 through the same catalogs and settings.
/// </summary>
public sealed class PaperGoldenJobTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("paper-tiny.json")]
    [InlineData("paper-f1.json")]
    public async Task RunAsync_FixedSeed_SameGenerationsSolutionsAndFilesAsBeforeThePipeline(string golden)
    {
        // Arrange
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", golden)));
        var expected = document.RootElement;
        var s = expected.GetProperty("settings");
        var settings = new RunSettings
        {
            Codec = PaperCodec.CodecId,
            ValidationSamples = s.GetProperty("validationSamples").GetInt32(),
            Metric = s.GetProperty("metric").GetString() == "macroF1" ? "macroF1" : "accuracy",
            Search = new SearchSettings(s.GetProperty("population").GetInt32(), s.GetProperty("generations").GetInt32(),
                s.GetProperty("kMin").GetInt32(), s.GetProperty("kMax").GetInt32(), s.GetProperty("seed").GetInt32()),
        };
        await using var host = new JobsHost(_directory.Path);
        await host.MigrateAsync();
        var runId = await host.CreateRunAsync(settings);

        // Act
        await host.RunJobAsync(runId);

        // Assert
        var run = await host.RunAsync(runId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var baseline = expected.GetProperty("baseline");
        Assert.Equal(baseline.GetProperty("validationAccuracy").GetDouble(), run.BaselineValidationAccuracy);
        Assert.Equal(baseline.GetProperty("testMacroF1").GetDouble(), run.BaselineTestMacroF1);
        Assert.Equal(expected.GetProperty("evaluations").GetInt32(), run.Evaluations);
        Assert.Equal(expected.GetProperty("cacheHits").GetInt32(), run.CacheHits);

        var generations = await host.GenerationsAsync(runId);
        var wantGenerations = expected.GetProperty("generations").EnumerateArray().ToList();
        Assert.Equal(wantGenerations.Count, generations.Count);
        for (var i = 0; i < generations.Count; i++)
        {
            var want = wantGenerations[i];
            Assert.Equal(want.GetProperty("hypervolume").GetDouble(), generations[i].Hypervolume);
            Assert.Equal(want.GetProperty("evaluations").GetInt32(), generations[i].Evaluations);
            Assert.Equal(Points(want.GetProperty("frontJson").GetString()!), Points(generations[i].FrontJson));
            Assert.Equal(Points(want.GetProperty("populationJson").GetString()!), Points(generations[i].PopulationJson));
        }

        var solutions = await host.SolutionsAsync(runId);
        var store = host.Get<Storage.FileStore>();
        var wantSolutions = expected.GetProperty("solutions").EnumerateArray().ToList();
        Assert.Equal(wantSolutions.Count, solutions.Count);
        for (var i = 0; i < solutions.Count; i++)
        {
            var (want, got) = (wantSolutions[i], solutions[i]);
            Assert.Equal($"{{\"k\":{want.GetProperty("k").GetInt32()}}}", got.ParametersJson);
            Assert.Equal("paper", got.Codec);
            Assert.Equal(want.GetProperty("sharedValues").GetInt32(), got.SharedValues);
            Assert.Equal(want.GetProperty("merged").GetBoolean(), got.Merged);
            Assert.Equal(want.GetProperty("groupStartsJson").GetString(), got.RefinementJson);
            Assert.Equal(want.GetProperty("validationAccuracy").GetDouble(), got.ValidationAccuracy);
            Assert.Equal(want.GetProperty("testAccuracy").GetDouble(), got.TestAccuracy);
            Assert.Equal(want.GetProperty("validationMacroF1").GetDouble(), got.ValidationMacroF1);
            Assert.Equal(want.GetProperty("testMacroF1").GetDouble(), got.TestMacroF1);
            Assert.Equal(settings.Metric == "macroF1" ? got.ValidationMacroF1 : got.ValidationAccuracy, got.ValidationMetric);
            Assert.Equal(want.GetProperty("bitsPerWeight").GetDouble(), got.BitsPerWeight);
            Assert.Equal(want.GetProperty("compressedBytes").GetInt64(), got.CompressedBytes);
            Assert.Equal(want.GetProperty("compressedName").GetString(), got.CompressedFile!.FileName);
            Assert.Equal(want.GetProperty("checkpointName").GetString(), got.CheckpointFile!.FileName);
            Assert.Equal(want.GetProperty("wszSha256").GetString(), Sha256(store.PathOf(got.CompressedFile!)));
            Assert.Equal(want.GetProperty("checkpointSha256").GetString(), Sha256(store.PathOf(got.CheckpointFile!)));
        }
    }

    // Generations stored now name every gene and the metric; what earlier releases stored (k alone) must read the same.
    private static (int, int, double)[] Points(string json) =>
        Data.Generation.ReadPoints(json).Select(p => (p.Parameters!["k"], p.SharedValues, p.ValidationAccuracy)).ToArray();

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public void Dispose() => _directory.Dispose();
}
