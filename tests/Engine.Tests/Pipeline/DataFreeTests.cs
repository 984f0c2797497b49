using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Engine.Pipeline;
using WeightShare.Engine.Search;
using WeightShare.Engine.Tensors;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Tests.Pipeline;

/// <summary>
/// Data-free runs: a checkpoint without architecture (a state_dict, safetensors, half precision too) is compressed
/// with the weights' signal-to-noise ratio as the metric, and real PyTorch reads back exactly the codebook's values.
/// </summary>
public sealed class DataFreeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-datafree-").FullName;

    private static RunSettings Options(string codec) => new()
    {
        Codec = codec,
        Metric = "weightSnr",
        Search = new SearchSettings(Population: 12, Generations: 4, KMin: 2, KMax: 256, Seed: 3),
    };

    [Theory]
    [InlineData("fmnist_cnn_state.pt", ScalarCodec.CodecId, TensorDType.Float32)]
    [InlineData("fmnist_cnn_f16.safetensors", ScalarCodec.CodecId, TensorDType.Float16)]
    [InlineData("fmnist_cnn_bf16_state.pt", PaperCodec.CodecId, TensorDType.BFloat16)]
    [InlineData("fmnist_cnn.safetensors", PaperCodec.CodecId, TensorDType.Float32)]
    public async Task RunAsync_WeightOnlyCheckpoint_FiguresAreTheFilesOwnSnrAndTheWszRebuildsTheCheckpoint(string fixture, string codec, TensorDType dtype)
    {
        // Arrange
        var path = Fixtures.Path(fixture);
        var original = CheckpointReader.Read(path);
        using var session = CompressionSession.OpenDataFree(path, Options(codec));
        var store = new InMemoryRunStore(_directory);
        var ticks = new List<PipelineProgress>();

        // Act
        await new CompressionPipeline(session, store, new SyncProgress(ticks.Add)).RunAsync(CancellationToken.None);

        // Progress is priced by the search's evaluations, not by a baseline that measured no samples: it does not
        // jump to the end before the search (the progress bar only rises).
        Assert.All(ticks.Where(t => t.Phase == PipelinePhase.Baseline), t => Assert.True(t.Fraction < 0.5, $"{t}"));
        Assert.Equal(1.0, ticks[^1].Fraction);

        // Assert: lossless baseline; four 2-D-or-more float tensors shared, in their own dtype.
        Assert.True(session.DataFree);
        Assert.Equal(1.0, store.Baseline!.Validation.Accuracy);
        Assert.Equal(["conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight"], session.Shared.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(session.Shared, s => Assert.Equal(dtype, s.DType));
        Assert.NotEmpty(store.Finished);
        foreach (var solution in store.Finished)
        {
            // The claimed figure is the SNR recomputed here from the written file against the uploaded one.
            var figures = solution.Figures;
            var written = CheckpointReader.Read(solution.Files.CheckpointPath);
            Assert.Equal(original.Format, written.Format);
            var decibels = Snr(path, original, solution.Files.CheckpointPath, written, session.Shared.Select(s => s.Name));
            Assert.Equal(Math.Min(decibels, WeightFidelity.MaxDecibels), WeightFidelity.ToDecibels(figures.TestAccuracy), 6);
            Assert.Equal(figures.TestAccuracy, figures.ValidationAccuracy);
            Assert.Equal(solution.Solution.ValidationMetric, figures.ValidationAccuracy, 9);
            Assert.True(figures.FileCompressionRatio > 1, $"{figures.Description}: x{figures.FileCompressionRatio:F2}");
            using var input = File.OpenRead(solution.Files.CompressedPath);
            Assert.Equal(File.ReadAllBytes(solution.Files.CheckpointPath), WszDecoder.ReconstructToArray(WszReader.Read(input)));
        }
        // More shared values never lose fidelity along the front, and the largest codebook is far above the smallest.
        var front = store.Finished.Select(s => s.Figures).OrderBy(f => f.SharedValues).ToList();
        Assert.True(WeightFidelity.ToDecibels(front[^1].TestAccuracy) > WeightFidelity.ToDecibels(front[0].TestAccuracy) + 10,
            string.Join(", ", front.Select(f => $"{f.SharedValues}: {WeightFidelity.ToDecibels(f.TestAccuracy):F1} dB")));
    }

    [Theory]
    [InlineData("fmnist_cnn_state.pt")]
    [InlineData("fmnist_cnn_f16.safetensors")]
    [InlineData("fmnist_cnn_bf16_state.pt")]
    public async Task Finish_WeightOnlyCheckpoint_RealPyTorchLoadsItWithWeightsOnlyAndFindsExactlyTheCodebook(string fixture)
    {
        // Arrange: a lattice of 7 steps, its values as the checkpoint's own dtype stores them.
        using var session = CompressionSession.OpenDataFree(Fixtures.Path(fixture), Options(ScalarCodec.CodecId));
        var plan = new SolutionPlan([7, 0, 0, 0, 0, 0]);
        var values = new float[session.SharedWeightCount];
        session.Quantize(plan).Dequantize(values);
        var dtype = session.Shared[0].DType;
        var codebook = FloatCodec.DecodeFloats(FloatCodec.EncodeFloats(values, dtype), dtype).Select(v => (double)v).Distinct().Order().ToArray();
        var checkpoint = Path.Combine(_directory, "seven" + Path.GetExtension(fixture));
        var figures = session.Finish(plan, Path.Combine(_directory, "seven.wsz"), checkpoint);

        // Act
        var report = await CheckWeightsAsync(checkpoint);

        // Assert: every shared tensor keeps its dtype and holds only codebook values; together they hold all of them.
        Assert.Equal(figures.SharedValues, codebook.Length);
        Assert.InRange(codebook.Length, 5, 9);
        var seen = new SortedSet<double>();
        foreach (var tensor in session.Shared)
        {
            var found = report.GetProperty(tensor.Name);
            Assert.Equal(dtype switch { TensorDType.Float16 => "float16", TensorDType.BFloat16 => "bfloat16", _ => "float32" }, found.GetProperty("dtype").GetString());
            var held = found.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.All(held, v => Assert.Contains(v, codebook));
            seen.UnionWith(held);
        }
        Assert.Equal(codebook, seen);
        // Unshared tensors are untouched: the biases hold as many distinct values as before.
        var before = await CheckWeightsAsync(Fixtures.Path(fixture));
        Assert.Equal(before.GetProperty("fc1.bias").GetProperty("distinct").GetInt32(), report.GetProperty("fc1.bias").GetProperty("distinct").GetInt32());
    }

    [Fact]
    public async Task RunAsync_SeededDataFreeSearch_ReportedHypervolumeNeverFallsThoughTheFrontLosesPoints()
    {
        // Arrange: a small population over many generations, so the first front outgrows it and crowding cuts it.
        var options = Options(ScalarCodec.CodecId) with
        {
            Objective = SizeObjective.Bytes,
            Search = new SearchSettings(Population: 6, Generations: 16, KMin: 2, KMax: 256, Seed: 7, Patience: 0),
        };
        var path = Fixtures.Path("fmnist_cnn_state.pt");
        using var session = CompressionSession.OpenDataFree(path, options);
        var store = new InMemoryRunStore(_directory);
        var reference = (1.0, (double)new FileInfo(path).Length);

        // Act
        await new CompressionPipeline(session, store).RunAsync(CancellationToken.None);

        // Assert: every generation reports an area, none below the one before, and the last one above the first.
        var reported = store.Generations.Select(g => g.Hypervolume!.Value).ToList();
        Assert.Equal(16, reported.Count);
        Assert.All(reported.Zip(reported.Skip(1)), pair => Assert.True(pair.Second >= pair.First, string.Join(", ", reported)));
        Assert.True(reported[^1] > reported[0], string.Join(", ", reported));
        // The population's own front did shrink somewhere (what the chart used to show), and the reported area always
        // covers it: it is the area of every point found so far.
        var fronts = store.Generations
            .Select(g => Hypervolume.Compute2D(g.Front.Select(p => (1 - p.ValidationMetric, (double)p.Bytes!.Value)), reference))
            .ToList();
        Assert.Contains(fronts.Zip(fronts.Skip(1)), pair => pair.Second < pair.First);
        Assert.All(fronts.Zip(reported), pair => Assert.True(pair.Second >= pair.First - 1e-9, $"{pair.First} > {pair.Second}"));
    }

    [Fact]
    public void Open_WeightSnrWithData_IsRefusedWithWhatToDo()
    {
        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.Open(
            Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), Options(ScalarCodec.CodecId)));
        Assert.Contains("without data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenDataFree_AccuracyMetric_IsRefusedNamingWeightSnr()
    {
        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.OpenDataFree(
            Fixtures.Path("fmnist_cnn_state.pt"), Options(ScalarCodec.CodecId) with { Metric = "accuracy" }));
        Assert.Contains("weightSnr, not accuracy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenDataFree_FileOverTheWszLimit_IsRefusedNamingTheLimit()
    {
        // A sparse file one byte over the limit: refused before any of it is read.
        var path = Path.Combine(_directory, "huge.safetensors");
        using (var file = File.Create(path))
        {
            file.SetLength(WszBuilder.MaxOriginalBytes + 1);
        }

        var error = Assert.Throws<InvalidInputException>(() => CompressionSession.OpenDataFree(path, Options(ScalarCodec.CodecId)));
        Assert.Contains($"{WszBuilder.MaxOriginalBytes:N0} bytes a .wsz file can hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decibels_KnownNoise_GivesTheRatioAndCapsLossless()
    {
        var shared = new[] { new SharedTensor("w", [4], 0, TensorDType.Float32) };
        float[] original = [1, -1, 1, -1];
        float[] noisy = [1.1f, -1.1f, 0.9f, -0.9f];

        Assert.Equal(20, WeightFidelity.Decibels(original, noisy, shared), 4);
        Assert.Equal(WeightFidelity.MaxDecibels, WeightFidelity.Decibels(original, original, shared));
    }

    private static double Snr(string path, CheckpointLayout layout, string writtenPath, CheckpointLayout written, IEnumerable<string> names)
    {
        double signal = 0, noise = 0;
        foreach (var name in names)
        {
            var before = Values(path, layout, name);
            var after = Values(writtenPath, written, name);
            for (var i = 0; i < before.Length; i++)
            {
                signal += (double)before[i] * before[i];
                noise += ((double)after[i] - before[i]) * ((double)after[i] - before[i]);
            }
        }
        return 10 * Math.Log10(signal / noise);
    }

    private static float[] Values(string path, CheckpointLayout layout, string name)
    {
        var tensor = layout.Tensors.Single(t => t.Name == name);
        return FloatCodec.DecodeFloats(CheckpointReader.ReadTensorBytes(path, layout, tensor, tensor.ByteLength), tensor.DType);
    }

    private static async Task<JsonElement> CheckWeightsAsync(string checkpoint)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "scripts", "check_weights.py"), checkpoint, "--max-values", "100000" },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"check_weights.py exited {process.ExitCode}: {error}"));
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private sealed class SyncProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
