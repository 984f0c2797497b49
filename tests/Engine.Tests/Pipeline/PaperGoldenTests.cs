using WeightShare.Engine.Codecs.Paper;
using System.Security.Cryptography;
using System.Text.Json;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Pipeline;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>
/// The paper codec through the pipeline gives exactly the solutions the Engine gave before the pipeline existed:
/// Golden/paper-fixture-cnn.json was recorded from main at 619db07 (WeightShareCompressor) with the same settings.
/// </summary>
public sealed class PaperGoldenTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-golden-").FullName;

    [Fact]
    public async Task RunAsync_PaperCodecFixedSeed_SameSolutionsFiguresAndFileBytesAsBeforeThePipeline()
    {
        // Arrange
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "paper-fixture-cnn.json")));
        var expected = golden.RootElement;
        var settings = expected.GetProperty("settings");
        var options = new RunSettings
        {
            Codec = PaperCodec.CodecId,
            ValidationSamples = settings.GetProperty("validationSamples").GetInt32(),
            Search = new SearchSettings(
                settings.GetProperty("population").GetInt32(),
                settings.GetProperty("generations").GetInt32(),
                settings.GetProperty("kMin").GetInt32(),
                settings.GetProperty("kMax").GetInt32(),
                settings.GetProperty("seed").GetInt32()),
        };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var store = new InMemoryRunStore(_directory);

        // Act
        await new CompressionPipeline(session, store).RunAsync(CancellationToken.None);

        // Assert: baseline, every generation's counts and hypervolume, then every solution to the last bit and byte.
        var baseline = expected.GetProperty("baseline");
        Assert.Equal(baseline.GetProperty("validationAccuracy").GetDouble(), store.Baseline!.Validation.Accuracy);
        Assert.Equal(baseline.GetProperty("validationMacroF1").GetDouble(), store.Baseline.Validation.MacroF1);
        Assert.Equal(baseline.GetProperty("testAccuracy").GetDouble(), store.Baseline.Test.Accuracy);
        Assert.Equal(baseline.GetProperty("testMacroF1").GetDouble(), store.Baseline.Test.MacroF1);
        Assert.Equal(
            expected.GetProperty("generations").EnumerateArray().Select(g => (g.GetProperty("generation").GetInt32(), g.GetProperty("hypervolume").GetDouble(), g.GetProperty("evaluations").GetInt32(), g.GetProperty("cacheHits").GetInt32())),
            store.Generations.Select(g => (g.Generation, g.Hypervolume ?? double.NaN, g.Evaluations, g.CacheHits)));
        var solutions = store.Finished.OrderBy(s => s.Solution.Parameters["k"]).ToList();
        var want = expected.GetProperty("solutions").EnumerateArray().ToList();
        Assert.Equal(want.Count, solutions.Count);
        for (var i = 0; i < want.Count; i++)
        {
            var (w, got) = (want[i], solutions[i]);
            var wszSha = Sha256(got.Files.CompressedPath);
            output.WriteLine($"k {got.Solution.Parameters["k"]}: {got.Figures.Description}, test {got.Figures.TestAccuracy:P2}, {got.Figures.CompressedBytes} bytes, {wszSha[..12]}");
            Assert.Equal(w.GetProperty("k").GetInt32(), got.Solution.Parameters["k"]);
            Assert.Equal(w.GetProperty("sharedValues").GetInt32(), got.Figures.SharedValues);
            Assert.Equal(w.GetProperty("merged").GetBoolean(), got.Solution.Plan.IsRefined);
            Assert.Equal(w.GetProperty("validationAccuracy").GetDouble(), got.Figures.ValidationAccuracy);
            Assert.Equal(w.GetProperty("testAccuracy").GetDouble(), got.Figures.TestAccuracy);
            Assert.Equal(w.GetProperty("validationMacroF1").GetDouble(), got.Figures.ValidationMacroF1);
            Assert.Equal(w.GetProperty("testMacroF1").GetDouble(), got.Figures.TestMacroF1);
            Assert.Equal(w.GetProperty("bitsPerWeight").GetDouble(), got.Figures.BitsPerWeight);
            Assert.Equal(w.GetProperty("compressedBytes").GetInt64(), got.Figures.CompressedBytes);
            Assert.Equal(w.GetProperty("wszSha256").GetString(), wszSha);
            Assert.Equal(w.GetProperty("checkpointSha256").GetString(), Sha256(got.Files.CheckpointPath));
        }
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
