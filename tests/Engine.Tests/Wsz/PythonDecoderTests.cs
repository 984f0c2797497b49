using System.Diagnostics;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Tensors;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Tests.Wsz;

/// <summary>
/// decoder/wsz.py, the standalone reader for devices (Python and NumPy, no torch), rebuilds byte for byte the
/// checkpoints the product writes, with Debian's python3-numpy and python3-brotli.
/// </summary>
public sealed class PythonDecoderTests : IDisposable
{
    private static readonly string Decoder = Path.Combine(AppContext.BaseDirectory, "decoder", "wsz.py");
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-pydecoder-").FullName;

    [Theory]
    [InlineData("paper", null, null)]
    [InlineData("scalar", "rans", "brotli")]
    [InlineData("scalar", "huffman", "deflate")]
    [InlineData("scalar", "context", "brotli")]
    [InlineData("additive", null, "deflate")]
    [InlineData("additive", null, "brotli")]
    public async Task Decode_FixtureRunFile_RebuildsTheCheckpointByteForByte(string codec, string? coder, string? residual)
    {
        // Arrange: the fixture CNN (TorchScript, so the file has CRC fix-ups) compressed as a run finishes it.
        var options = new RunSettings
        {
            Codec = codec,
            ValidationSamples = 300,
            CodecOptions = (coder, residual) switch
            {
                (null, null) => new Dictionary<string, string>(),
                (null, _) => new Dictionary<string, string> { ["residual"] = residual },
                _ => new Dictionary<string, string> { ["coder"] = coder, ["residual"] = residual! },
            },
        };
        using var session = CompressionSession.Open(Fixtures.Path("fmnist_cnn.pt"), FixtureData.FashionMnistEvaluation(), options);
        var compressed = Path.Combine(_directory, "model.wsz");
        var checkpoint = Path.Combine(_directory, "model.pt");
        // The additive plan's d = 7 leaves a short last vector in every tensor whose size 7 does not divide.
        int[] genes = codec switch { PaperCodec.CodecId => [24], "additive" => [7, 3, 5], _ => [16, 1, 0, 2, 1, 0] };
        session.Finish(new SolutionPlan(genes), compressed, checkpoint);

        // Act
        var (exitCode, output) = await RunAsync(compressed, Path.Combine(_directory, "rebuilt.pt"));

        // Assert
        Assert.True(exitCode == 0, output);
        Assert.Equal(await File.ReadAllBytesAsync(checkpoint), await File.ReadAllBytesAsync(Path.Combine(_directory, "rebuilt.pt")));
        Assert.Equal(codec == PaperCodec.CodecId ? 1 : 2, WszReader.Read(File.OpenRead(compressed)).Version);
    }

    [Fact]
    public async Task Decode_EveryFloatTypeWithTiesNaNAndOverflow_RoundsAsTheProductDoes()
    {
        // Arrange: ties for bfloat16 and float16, a NaN, and a value beyond float16's range, in each float type.
        float[] codebook = [1.00390625f, 1.01171875f, 1 + (1f / 2048), float.NaN, 70000f, -2.5f];
        var original = Enumerable.Range(0, 160).Select(i => (byte)i).ToArray();
        var segments = new List<WszSegment>
        {
            new("bf16", 0, 6, TensorDType.BFloat16),
            new("f16", 16, 6, TensorDType.Float16),
            new("f64", 32, 6, TensorDType.Float64),
            new("f32", 96, 6, TensorDType.Float32),
        };
        ushort[] indices = [.. Enumerable.Range(0, 4).SelectMany(_ => Enumerable.Range(0, 6).Select(i => (ushort)i))];
        var content = WszTestFiles.Build(original, "pytorch", "types.bin", segments, [new WszCrcFixup(0, 120, [150])], codebook, indices);
        var compressed = Path.Combine(_directory, "types.wsz");
        await using (var file = File.Create(compressed))
        {
            WszWriter.Write(file, content);
        }

        // Act: without -o, the decoder writes the original file name it records, in its working directory.
        var (exitCode, output) = await RunAsync(compressed, null);

        // Assert
        Assert.True(exitCode == 0, output);
        Assert.Equal(WszDecoder.ReconstructToArray(content), await File.ReadAllBytesAsync(Path.Combine(_directory, "types.bin")));
    }

    [Fact]
    public async Task Decode_CorruptFile_ExitsWithTheReasonAndWritesNothing()
    {
        // Arrange: a residual that no longer matches the SHA-256 the header records.
        var content = WszTestFiles.Build(new byte[64], "pytorch", "zeros.bin", [new WszSegment("w", 8, 4, TensorDType.Float32)], [], [0.25f], [0, 0, 0, 0]);
        var bytes = new MemoryStream();
        WszWriter.Write(bytes, content with { ReconstructedSha256 = new byte[32] });
        var compressed = Path.Combine(_directory, "corrupt.wsz");
        await File.WriteAllBytesAsync(compressed, bytes.ToArray());

        // Act
        var (exitCode, output) = await RunAsync(compressed, Path.Combine(_directory, "out.bin"));

        // Assert
        Assert.Equal(1, exitCode);
        Assert.Contains("SHA-256 does not match", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "out.bin")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Decode_OutputFileExists_RefusesAndLeavesTheFileAsItWas(bool withOutputOption)
    {
        // Arrange: the user's original checkpoint, under the name the .wsz records (or the -o path), beside the .wsz.
        byte[] original = [.. "the user's original checkpoint"u8];
        var (compressed, existing) = await WszBesideExistingFileAsync(original);

        // Act
        var (exitCode, output) = await RunAsync(compressed, withOutputOption ? existing : null);

        // Assert: refused with the reason, the file untouched, and no partial file left behind.
        Assert.NotEqual(0, exitCode);
        Assert.Contains("model.pt already exists; nothing was written", output, StringComparison.Ordinal);
        Assert.Equal(original, await File.ReadAllBytesAsync(existing));
        Assert.Equal(["model.pt", "model.wsz"], FileNames());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Decode_OutputFileExistsWithForce_ReplacesItWithTheRebuiltFile(bool withOutputOption)
    {
        // Arrange
        var (compressed, existing) = await WszBesideExistingFileAsync([.. "an older file"u8]);

        // Act
        var (exitCode, output) = await RunAsync(compressed, withOutputOption ? existing : null, "--force");

        // Assert: the rebuilt bytes in place of the old ones, and no partial file left behind.
        Assert.True(exitCode == 0, output);
        Assert.Equal(WszDecoder.ReconstructToArray(SmallContent()), await File.ReadAllBytesAsync(existing));
        Assert.Equal(["model.pt", "model.wsz"], FileNames());
    }

    /// <summary>A valid .wsz of a 64-byte file that records the name model.pt: quick to build and to decode.</summary>
    private static WszContent SmallContent()
    {
        var original = Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray();
        return WszTestFiles.Build(original, "pytorch", "model.pt", [new WszSegment("w", 8, 4, TensorDType.Float32)], [], [0.25f, -1.5f], [0, 1, 1, 0]);
    }

    /// <summary>model.wsz (<see cref="SmallContent"/>) and, beside it, a model.pt holding <paramref name="existing"/>.</summary>
    private async Task<(string Wsz, string Existing)> WszBesideExistingFileAsync(byte[] existing)
    {
        var compressed = Path.Combine(_directory, "model.wsz");
        await using (var file = File.Create(compressed))
        {
            WszWriter.Write(file, SmallContent());
        }
        var path = Path.Combine(_directory, "model.pt");
        await File.WriteAllBytesAsync(path, existing);
        return (compressed, path);
    }

    /// <summary>The names of the files in the working directory, so a test sees any partial file left behind.</summary>
    private string[] FileNames() => [.. Directory.GetFiles(_directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private async Task<(int ExitCode, string Output)> RunAsync(string wsz, string? output, params string[] options)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
            ArgumentList = { Decoder, wsz },
        };
        if (output is not null)
        {
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(output);
        }
        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, $"exit {process.ExitCode}: {await stdout} {await stderr}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
