using System.Buffers.Binary;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Tests.Wsz;

public class WszCorruptionTests
{
    private static (WszContent Content, byte[] Bytes) ValidFile()
    {
        var original = File.ReadAllBytes(WszTestFiles.Fixture("fmnist_cnn.safetensors"));
        var segments = WszTestFiles.SafetensorsSegments(original);
        var (codebook, indices) = WszTestFiles.Share(WszTestFiles.Weights(original, segments), 16);
        var content = WszTestFiles.Build(original, "safetensors", "fmnist_cnn.safetensors", segments, [], codebook, indices);
        WszTestFiles.RoundTrip(content, out var bytes);
        return (content, bytes);
    }

    private static void ReadAndReconstruct(byte[] bytes) =>
        WszDecoder.Reconstruct(WszReader.Read(new MemoryStream(bytes)), new MemoryStream());

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(30)]
    [InlineData(200)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void Read_Truncated_Throws(int keep)
    {
        // Arrange
        var (_, bytes) = ValidFile();
        var truncated = bytes[..(keep >= 0 ? keep : bytes.Length - 1)];

        // Act / Assert
        Assert.ThrowsAny<InvalidInputException>(() => ReadAndReconstruct(truncated));
    }

    [Fact]
    public void Reconstruct_FlippedByteInResidual_ShaMismatch()
    {
        // Arrange: re-deflate a residual with one changed byte, so deflate stays valid and only the SHA-256 can notice.
        var (content, _) = ValidFile();
        var residual = new byte[content.ResidualLength];
        using (var inflate = new System.IO.Compression.DeflateStream(new MemoryStream(content.ResidualDeflate), System.IO.Compression.CompressionMode.Decompress))
        {
            inflate.ReadExactly(residual);
        }

        residual[^5] ^= 0x40;
        using var recompressed = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(recompressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(residual);
        }

        var tampered = content with { ResidualDeflate = recompressed.ToArray() };

        // Act
        var error = Assert.Throws<InvalidInputException>(() => WszDecoder.Reconstruct(tampered, new MemoryStream()));

        // Assert
        Assert.Contains("SHA-256", error.Message);
    }

    [Fact]
    public void Read_FlippedByteInResidualBytes_Rejected()
    {
        // Arrange: flip a byte inside the deflated residual, which ends the file.
        var (_, bytes) = ValidFile();
        bytes[^20] ^= 0x10;

        // Act / Assert: either deflate fails or the SHA-256 differs; both are reported as bad input.
        Assert.Throws<InvalidInputException>(() => ReadAndReconstruct(bytes));
    }

    [Fact]
    public void Read_FlippedByteInIndexStream_ShaMismatchOrBadCode()
    {
        // Arrange
        var (content, bytes) = ValidFile();
        var stream = WszTestFiles.Paper(content).IndexStream;
        int indexStart = bytes.Length - content.ResidualDeflate.Length - 16 - stream.Length;
        bytes[indexStart + (stream.Length / 2)] ^= 0x01;

        // Act / Assert
        Assert.Throws<InvalidInputException>(() => ReadAndReconstruct(bytes));
    }

    [Fact]
    public void Read_BadMagic_Throws()
    {
        // Arrange
        var (_, bytes) = ValidFile();
        bytes[3] = (byte)'2';

        // Act
        var error = Assert.Throws<UnsupportedFormatException>(() => WszReader.Read(new MemoryStream(bytes)));

        // Assert
        Assert.Contains("WSZ1", error.Message);
    }

    [Fact]
    public void Read_UnknownVersion_Throws()
    {
        var (_, bytes) = ValidFile();
        bytes[4] = 9;

        var error = Assert.Throws<InvalidInputException>(() => WszReader.Read(new MemoryStream(bytes)));

        Assert.Contains("version 9", error.Message);
    }

    [Fact]
    public void Read_CodeLengthsOverfillCodeSpace_Throws()
    {
        // Arrange: all 16 code lengths set to 1 cannot be a prefix code.
        var (content, bytes) = ValidFile();
        var block = WszTestFiles.Paper(content);
        int lengthsStart = bytes.Length - content.ResidualDeflate.Length - 16 - block.IndexStream.Length - 8 - block.CodeLengths.Length;
        bytes.AsSpan(lengthsStart, block.CodeLengths.Length).Fill(1);

        // Act
        var error = Assert.Throws<InvalidInputException>(() => WszReader.Read(new MemoryStream(bytes)));

        // Assert
        Assert.Contains("Huffman", error.Message);
    }

    [Fact]
    public void Read_HugeSegmentCount_ThrowsWithoutAllocating()
    {
        // Arrange: the segment count follows magic, version, flags, two strings, length and hash.
        var (content, bytes) = ValidFile();
        int countAt = 8 + 2 + content.Format.Length + 2 + content.OriginalFileName.Length + 8 + 32;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(countAt), uint.MaxValue);

        // Act
        var error = Assert.Throws<InvalidInputException>(() => WszReader.Read(new MemoryStream(bytes)));

        // Assert
        Assert.Contains("segment", error.Message);
    }

    [Fact]
    public void Read_ReconstructedLengthInflated_Throws()
    {
        // Arrange: claim a far bigger original than the residual and segments make up.
        var (content, bytes) = ValidFile();
        int lengthAt = 8 + 2 + content.Format.Length + 2 + content.OriginalFileName.Length;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(lengthAt), 1L << 40);

        // Act / Assert
        Assert.Throws<InvalidInputException>(() => WszReader.Read(new MemoryStream(bytes)));
    }

    [Fact]
    public void Read_TrailingBytes_Throws()
    {
        var (_, bytes) = ValidFile();

        Assert.Throws<InvalidInputException>(() => WszReader.Read(new MemoryStream([.. bytes, 0])));
    }

    [Fact]
    public void Reconstruct_SegmentsOutOfOrder_Throws()
    {
        // Arrange
        var (content, _) = ValidFile();
        var reversed = content with { Segments = content.Segments.Reverse().ToList() };

        // Act / Assert
        Assert.Throws<InvalidInputException>(() => WszDecoder.Reconstruct(reversed, new MemoryStream()));
    }

    [Fact]
    public void Read_FileNameWithFolder_Throws()
    {
        // Arrange
        var (content, bytes) = ValidFile();
        int nameAt = 8 + 2 + content.Format.Length + 2;
        bytes[nameAt + 5] = (byte)'/';

        // Act / Assert
        Assert.Throws<InvalidInputException>(() => WszReader.Read(new MemoryStream(bytes)));
    }

    [Fact]
    public void Read_NonSeekableStream_SameContent()
    {
        // Arrange: a gzip stream cannot seek, so the reader must copy it with its size limit.
        var (content, bytes) = ValidFile();
        using var gzipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        gzipped.Position = 0;
        using var unzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionMode.Decompress);

        // Act
        var read = WszReader.Read(unzip);

        // Assert
        Assert.False(unzip.CanSeek);
        Assert.Equal(content.CodecBlock, read.CodecBlock);
        Assert.Equal(content.ReconstructedSha256, read.ReconstructedSha256);
        Assert.Equal(content.Segments, read.Segments);
    }
}
