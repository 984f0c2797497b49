using WeightShare.Engine.Metrics;
using System.Security.Cryptography;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Wsz;
using WeightShare.Tests.Support;

namespace WeightShare.Engine.Tests.Codecs;

/// <summary>A second codec is one class and one registration: the test-only grid codec through the whole pipeline.</summary>
public sealed class SecondCodecTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-codec-").FullName;
    private readonly CodecRegistry _codecs = CodecRegistry.CreateDefault().Register(() => new GridCodec());

    [Fact]
    public async Task RunAsync_GridCodec_SearchesItsOwnGeneAndWritesVersion2FilesThatDecodeToTheCheckpoint()
    {
        // Arrange
        var options = new RunSettings { Codec = GridCodec.CodecId, ValidationSamples = 300, Search = new SearchSettings(8, 3, 2, 64, 1) };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options, resolver: new SettingsResolver(_codecs, MetricRegistry.Default));
        var store = new InMemoryRunStore(_directory);

        // Act
        await new CompressionPipeline(session, store).RunAsync(CancellationToken.None);

        // Assert: the search varied "bits" within the codec's own bounds (k bounds do not apply to it).
        Assert.Equal(PipelinePhase.Done, store.Phase);
        Assert.All(store.Generations.SelectMany(g => g.Population), p => Assert.InRange(p.Parameters["bits"], 1, 8));
        Assert.NotEmpty(store.Finished);
        foreach (var solution in store.Finished)
        {
            var bits = solution.Solution.Parameters["bits"];
            Assert.Equal($"fmnist_cnn-bits{bits}.wsz", solution.Files.CompressedName);
            Assert.StartsWith($"{bits}-bit grid", solution.Figures.Description, StringComparison.Ordinal);
            Assert.Equal(bits, solution.Figures.BitsPerWeight);

            WszContent content;
            using (var input = File.OpenRead(solution.Files.CompressedPath))
            {
                content = WszReader.Read(input, _codecs);
            }
            Assert.Equal(2, content.Version);
            Assert.Equal(GridCodec.CodecId, content.CodecId);
            Assert.Equal(session.Shared.Select(s => s.Shape), content.Segments.Select(s => s.Shape.ToArray()));
            var rebuilt = WszDecoder.ReconstructToArray(content, _codecs);
            Assert.Equal(File.ReadAllBytes(solution.Files.CheckpointPath), rebuilt);
        }

        // The 8-bit grid keeps the model: its checkpoint measures within a point of the original on the test split.
        var eightBit = store.Finished.SingleOrDefault(s => s.Solution.Parameters["bits"] == 8);
        if (eightBit is not null)
        {
            Assert.InRange(eightBit.Figures.TestAccuracy, store.Baseline!.Test.Accuracy - 0.01, 1);
        }
    }

    [Fact]
    public void Read_Version2FileOfAnUnknownCodec_IsUnsupportedAndNamesIt()
    {
        var options = new RunSettings { Codec = GridCodec.CodecId, ValidationSamples = 300 };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options, resolver: new SettingsResolver(_codecs, MetricRegistry.Default));
        var compressed = Path.Combine(_directory, "bits4.wsz");
        session.Finish(new SolutionPlan([4]), compressed, Path.Combine(_directory, "bits4.pt"));

        using var input = File.OpenRead(compressed);
        var error = Assert.Throws<UnsupportedFormatException>(() => WszReader.Read(input));

        Assert.Contains("'grid'", error.Message);
        Assert.Contains("paper", error.Message);
    }

    [Fact]
    public void Decode_Version1FileWrittenBeforeVersion2Existed_RebuildsTheSameCheckpoint()
    {
        // fmnist_cnn-k2-v1.wsz was written by main at 619db07; its checkpoint's SHA-256 was recorded then.
        using var input = File.OpenRead(Fixtures.Path("legacy/fmnist_cnn-k2-v1.wsz"));

        var content = WszReader.Read(input);
        var rebuilt = WszDecoder.ReconstructToArray(content);

        Assert.Equal(1, content.Version);
        Assert.Equal("paper", content.CodecId);
        Assert.Equal("68b1175bff0b03442e0144b79c3b7c196fa4b2ae1c6e3560d301400499188aa1", Convert.ToHexStringLower(SHA256.HashData(rebuilt)));
        using var model = ScriptedModel.Load(WriteTemp(rebuilt));
        Assert.Equal(2, model.ReadFlat(content.Segments.Select(s => s.TensorName).ToArray()).Distinct().Count());
    }

    [Fact]
    public void Register_SameIdTwice_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => _codecs.Register(() => new GridCodec()));

        Assert.Contains("'grid'", error.Message);
        Assert.Equal(["paper", "scalar", "additive", "grid"], _codecs.Ids);
        Assert.False(CodecRegistry.Default.Contains(GridCodec.CodecId));
    }

    private string WriteTemp(byte[] bytes)
    {
        var path = Path.Combine(_directory, "rebuilt.pt");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
