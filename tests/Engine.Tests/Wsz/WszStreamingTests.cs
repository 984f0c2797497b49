using WeightShare.Engine.Wsz;
using WeightShare.Tests.Support;

namespace WeightShare.Engine.Tests.Wsz;

/// <summary>Decoding streams: memory stays at the .wsz file and a fixed buffer, whatever size of file it claims.</summary>
public sealed class WszStreamingTests : IDisposable
{
    private const long Elements = 16L << 20; // 64 MiB of float32
    private const long AllocationLimit = 4L << 20;
    private readonly FileStream _output = new(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);

    [Fact]
    public void Reconstruct_TinyFileOf64MiBWeights_RebuildsThemAllocatingUnder4MiB()
    {
        // Arrange
        var content = WszReader.Read(new MemoryStream(HostileWsz.Weights(Elements, trueSha256: true)));

        // Act
        var allocated = AllocatedBy(() => WszDecoder.Reconstruct(content, _output));

        // Assert
        Assert.Equal(Elements * 4, _output.Length);
        _output.Position = 12345 * 4;
        var weight = new byte[4];
        _output.ReadExactly(weight);
        Assert.Equal(HostileWsz.Value, BitConverter.ToSingle(weight));
        Assert.InRange(allocated, 0, AllocationLimit);
    }

    [Fact]
    public void Reconstruct_TinyFileOf64MiBWeightsWithAFalseSha_RefusedAllocatingUnder4MiB()
    {
        // Arrange
        var content = WszReader.Read(new MemoryStream(HostileWsz.Weights(Elements, trueSha256: false)));

        // Act
        InvalidInputException? error = null;
        var allocated = AllocatedBy(() => error = Assert.Throws<InvalidInputException>(() => WszDecoder.Reconstruct(content, _output)));

        // Assert
        Assert.Contains("SHA-256", error!.Message, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, AllocationLimit);
    }

    [Fact]
    public void Reconstruct_ResidualInflatingBeyondItsClaim_RefusedAfterTheClaimAllocatingUnder4MiB()
    {
        // Arrange: 256 MiB of zeros deflate to about 256 KB; the header claims a 32 MiB file.
        var content = WszReader.Read(new MemoryStream(HostileWsz.Residual(256L << 20, 32L << 20)));

        // Act
        InvalidInputException? error = null;
        var allocated = AllocatedBy(() => error = Assert.Throws<InvalidInputException>(() => WszDecoder.Reconstruct(content, _output)));

        // Assert
        Assert.Contains("more bytes than the .wsz file declares", error!.Message, StringComparison.Ordinal);
        Assert.Equal(32L << 20, _output.Length);
        Assert.InRange(allocated, 0, AllocationLimit);
    }

    [Fact]
    public void Reconstruct_OutputNotAtItsStart_RebuildsAfterThePrefixWithCrcsAndShaOverTheFileAlone()
    {
        // Arrange: a zip checkpoint (CRC fix-ups) rebuilt after 1,000 bytes already in the stream.
        var original = File.ReadAllBytes(WszTestFiles.Fixture("fmnist_cnn.safetensors"));
        var segments = WszTestFiles.SafetensorsSegments(original);
        var (codebook, indices) = WszTestFiles.Share(WszTestFiles.Weights(original, segments), 16);
        var content = WszTestFiles.Build(original, "safetensors", "cnn.safetensors", segments, [new WszCrcFixup(100, 5000, [20, 40])], codebook, indices);
        var prefix = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        using var output = new MemoryStream();
        output.Write(prefix);

        // Act
        WszDecoder.Reconstruct(content, output);

        // Assert
        var bytes = output.ToArray();
        Assert.Equal(prefix, bytes[..1000]);
        Assert.Equal(WszDecoder.ReconstructToArray(content), bytes[1000..]);
    }

    [Fact]
    public void Reconstruct_Canceled_StopsBetweenChunks()
    {
        var content = WszReader.Read(new MemoryStream(HostileWsz.Weights(Elements, trueSha256: false)));
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();

        Assert.Throws<OperationCanceledException>(() => WszDecoder.Reconstruct(content, _output, cancellationToken: canceled.Token));
        Assert.True(_output.Length < Elements * 4);
    }

    [Fact]
    public void Reconstruct_UnseekableOutput_Refused()
    {
        var content = WszReader.Read(new MemoryStream(HostileWsz.Weights(16, trueSha256: true)));

        Assert.Throws<ArgumentException>(() => WszDecoder.Reconstruct(content, new UnseekableStream()));
    }

    public void Dispose() => _output.Dispose();

    private static long AllocatedBy(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private sealed class UnseekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
