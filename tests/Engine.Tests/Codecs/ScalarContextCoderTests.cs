using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Wsz;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Codecs;

/// <summary>
/// The scalar codec's context coder (<c>coder=context</c>) on the fixture CNN: its bytes against rANS, its files, and
/// the default (<c>coder=auto</c>) that keeps whichever of the two is smaller.
/// </summary>
public sealed class ScalarContextCoderTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-context-").FullName;

    private static RunSettings Settings(string coder) => new()
    {
        Codec = ScalarCodec.CodecId,
        CodecOptions = new Dictionary<string, string> { ["coder"] = coder },
    };

    [Theory]
    [InlineData(new[] { 13, 0, 1, 1, 0, 0 }, 0.05)]
    [InlineData(new[] { 25, 2, 2, 2, 1, 0 }, 0.015)]
    [InlineData(new[] { 60, 0, 0, 0, 0, 0 }, 0.015)]
    public void Encode_SameIndices_ContextCoderTakesFewerIndexBytesThanRans(int[] genes, double saving)
    {
        // Arrange: the CNN's recommended default point of docs/results.md (about 1 bit a weight), and two points of
        // 2.5 to 3 bits a weight, where the contexts know less of what comes next: the ResNet-18's genes and a plain
        // fine lattice.
        using var session = CompressionSession.OpenDataFree(Fixtures.Path("fmnist_cnn.pt"), Settings("rans"));
        var plan = new SolutionPlan(genes);
        var rans = Quantize(session.Weights, plan, "rans");
        var context = Quantize(session.Weights, plan, "context");

        // Act: index bytes are the block without its values (the coder byte, the tables and the streams).
        var ransBytes = rans.Encode().Block.Length - (4 + (4 * rans.SharedValues));
        var contextBytes = context.Encode().Block.Length - (4 + (4 * context.SharedValues));

        // Assert: the same indices, coded smaller by at least the saving measured (7.2 %, 2.1 %, 1.9 %) rounded down.
        Assert.Equal(rans.Indices, context.Indices);
        output.WriteLine($"[{string.Join(", ", genes)}]: rANS {ransBytes} bytes, context {contextBytes} bytes ({(1 - ((double)contextBytes / ransBytes)):P1} fewer)");
        Assert.True(contextBytes <= (1 - saving) * ransBytes, $"context {contextBytes} bytes against rANS {ransBytes}");
    }

    [Fact]
    public void Finish_ContextCoder_ReportsTheFilesRealSizeBelowTheSearchsRansPrice()
    {
        // Arrange: the search prices a context-coded candidate as its rANS block.
        using var context = CompressionSession.OpenDataFree(Fixtures.Path("fmnist_cnn.pt"), Settings("context"));
        using var rans = CompressionSession.OpenDataFree(Fixtures.Path("fmnist_cnn.pt"), Settings("rans"));
        var plan = new SolutionPlan([13, 0, 1, 1, 0, 0]);
        var searched = context.FileBytes(context.Quantize(plan));
        var compressed = Path.Combine(_directory, "c.wsz");
        var checkpoint = Path.Combine(_directory, "c.pt");

        // Act
        var figures = context.Finish(plan, compressed, checkpoint);

        // Assert: the finished solution reports the file's own size, below the price the search used (rANS's, to a
        // few bytes); the file names coder 2 and rebuilds the checkpoint.
        Assert.Equal(new FileInfo(compressed).Length, figures.CompressedBytes);
        Assert.InRange(searched - rans.FileBytes(rans.Quantize(plan)), -16, 16);
        Assert.True(figures.CompressedBytes < searched - 1_000, $"{figures.CompressedBytes} against {searched}");
        using var input = File.OpenRead(compressed);
        var content = WszReader.Read(input);
        var values = BitConverter.ToInt32(content.CodecBlock, 0);
        Assert.Equal(2, content.CodecBlock[4 + (4 * values)]);
        Assert.Equal(File.ReadAllBytes(checkpoint), WszDecoder.ReconstructToArray(content));
    }

    [Theory]
    [InlineData(new[] { 13, 0, 1, 1, 0, 0 }, 2)]
    [InlineData(new[] { 1024, 0, 0, 0, 0, 0 }, 0)]
    public void Encode_NewRunsDefaultCoder_WritesTheSmallerOfTheRansAndContextBlocks(int[] genes, byte winner)
    {
        // Arrange: the CNN's recommended point, where the context coder saves 7 %, and a fine lattice (k = 1,024), where
        // its unary magnitudes cost about a fifth more than rANS.
        using var session = CompressionSession.OpenDataFree(Fixtures.Path("fmnist_cnn.pt"), SettingsResolver.Default.ForNewRun(new RunSettings { Codec = ScalarCodec.CodecId }));
        var plan = new SolutionPlan(genes);
        var rans = Quantize(session.Weights, plan, "rans").Encode().Block;
        var context = Quantize(session.Weights, plan, "context").Encode().Block;
        var quantization = (ScalarQuantization)session.Quantize(plan);
        var estimate = quantization.BlockBytes;

        // Act
        var block = quantization.Encode().Block;

        // Assert: the block is the smaller one byte for byte, its coder byte says which, and it is never more than a
        // few bytes over what the search priced (rANS's estimate).
        output.WriteLine($"[{string.Join(", ", genes)}]: rANS {rans.Length} bytes, context {context.Length} bytes, default {block.Length} bytes");
        Assert.Equal(winner == 2 ? context : rans, block);
        Assert.Equal(winner, block[4 + (4 * quantization.SharedValues)]);
        Assert.True(block.Length <= estimate + 16, $"{block.Length} bytes against the search's {estimate}");
    }

    [Fact]
    public void Validate_ContextAlphabetCentreOutside_IsRefused()
    {
        // Arrange: a context-coded file whose first alphabet's centre is moved past its last index.
        using var session = CompressionSession.OpenDataFree(Fixtures.Path("fmnist_cnn.pt"), Settings("context"));
        var compressed = Path.Combine(_directory, "v.wsz");
        session.Finish(new SolutionPlan([13, 0, 1, 1, 0, 0]), compressed, Path.Combine(_directory, "v.pt"));
        WszContent content;
        using (var input = File.OpenRead(compressed))
        {
            content = WszReader.Read(input);
        }
        var block = content.CodecBlock.ToArray();
        var values = BitConverter.ToInt32(block, 0);
        // Coder byte, two bytes of table count, then table 0: varint size (below 128 here), one-byte gaps, the centre.
        var sizeAt = 4 + (4 * values) + 3;
        var centreAt = sizeAt + 1 + block[sizeAt];
        Assert.Equal(new ScalarCodec().Id, content.CodecId);
        new ScalarCodec().Validate(block, content.Segments);

        // Act
        block[centreAt] = block[sizeAt];
        var error = Assert.Throws<InvalidInputException>(() => new ScalarCodec().Validate(block, content.Segments));

        // Assert
        Assert.Contains("centre", error.Message, StringComparison.Ordinal);
    }

    private static ScalarQuantization Quantize(SharedWeights weights, SolutionPlan plan, string coder)
    {
        var codec = new ScalarCodec();
        codec.Configure(new Dictionary<string, string> { ["coder"] = coder });
        return (ScalarQuantization)codec.Quantize(weights, plan);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
