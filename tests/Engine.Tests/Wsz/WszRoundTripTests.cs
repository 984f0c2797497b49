using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using WeightShare.Engine.Wsz;
using WeightShare.Engine.Tensors;
using Xunit.Abstractions;

namespace WeightShare.Engine.Tests.Wsz;

public class WszRoundTripTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(16)]
    [InlineData(256)]
    public void Reconstruct_SafetensorsFixture_SegmentsReplacedAndEverythingElseUnchanged(int k)
    {
        // Arrange
        var original = File.ReadAllBytes(WszTestFiles.Fixture("fmnist_cnn.safetensors"));
        var segments = WszTestFiles.SafetensorsSegments(original);
        var weights = WszTestFiles.Weights(original, segments);
        var (codebook, indices) = WszTestFiles.Share(weights, k);

        // Act
        var content = WszTestFiles.Build(original, "safetensors", "fmnist_cnn.safetensors", segments, [], codebook, indices);
        var read = WszTestFiles.RoundTrip(content, out var wszBytes);
        using var rebuilt = new MemoryStream();
        WszDecoder.Reconstruct(read, rebuilt);
        var result = rebuilt.ToArray();

        // Assert
        var expected = (byte[])original.Clone();
        int at = 0;
        foreach (var segment in segments)
        {
            for (int i = 0; i < segment.ElementCount; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan((int)segment.FileOffset + (4 * i)), codebook[indices[at++]]);
            }
        }

        Assert.Equal(expected, result);
        Assert.Equal(weights.Length, at);
        Assert.True(segments.Count >= 3);
        var figures = WszFigures.Of(read);
        Assert.Equal(wszBytes.Length, figures.CompressedBytes);
        Assert.True(figures.BitsPerSharedWeight <= Math.Ceiling(Math.Log2(codebook.Length)) + 0.01);
        output.WriteLine($"k={k}: {codebook.Length} values, original {original.Length} bytes, .wsz {figures.CompressedBytes} bytes " +
            $"({(double)original.Length / figures.CompressedBytes:F2}x), {weights.Length} shared weights, " +
            $"{figures.BitsPerSharedWeight:F3} bits per weight, paper ratio {figures.PaperRatio:F2}x");
    }

    [Fact]
    public void Reconstruct_ZipCheckpointWithCrcFixups_EveryEntryCrcMatchesItsData()
    {
        // Arrange: the state_dict zip; its large storages are the float32 conv and linear weights.
        var original = File.ReadAllBytes(WszTestFiles.Fixture("fmnist_cnn_state.pt"));
        var entries = ZipEntries(original).Where(e => e.Name.Contains("/data/") && e.Size >= 576).OrderBy(e => e.DataOffset).ToList();
        var segments = entries.Select(e => new WszSegment(e.Name, e.DataOffset, e.Size / 4, TensorDType.Float32)).ToList();
        var fixups = entries.Select(e => new WszCrcFixup(e.DataOffset, e.Size, [e.LocalCrcOffset, e.CentralCrcOffset])).ToList();
        var weights = WszTestFiles.Weights(original, segments);
        var (codebook, indices) = WszTestFiles.Share(weights, 32);

        // Act
        var content = WszTestFiles.Build(original, "pytorch", "fmnist_cnn_state.pt", segments, fixups, codebook, indices);
        var result = WszDecoder.ReconstructToArray(WszTestFiles.RoundTrip(content, out _));

        // Assert: .NET does not verify stored entries' CRCs on read, so compare each recorded CRC with one computed
        // here bit by bit, independent of the table-driven code under test.
        Assert.Equal(4, segments.Count);
        using var zip = new ZipArchive(new MemoryStream(result), ZipArchiveMode.Read);
        Assert.Equal(ZipEntries(original).Count, zip.Entries.Count);
        foreach (var entry in zip.Entries)
        {
            var data = ReadEntry(entry);
            Assert.Equal(BitwiseCrc32(data), entry.Crc32);
            var local = ZipEntries(result).Single(e => e.Name == entry.FullName);
            Assert.Equal(entry.Crc32, BinaryPrimitives.ReadUInt32LittleEndian(result.AsSpan((int)local.LocalCrcOffset)));
            if (entries.Any(e => e.Name == entry.FullName))
            {
                var values = new float[data.Length / 4];
                Buffer.BlockCopy(data, 0, values, 0, data.Length);
                Assert.All(values, v => Assert.Contains(v, codebook));
            }
        }

        Assert.Equal(original.Length, result.Length);
    }

    [Fact]
    public void Reconstruct_ZipWithoutCrcFixups_RecordedCrcIsStale()
    {
        // Arrange: the same splice without fix-ups proves the zip reader really checks what the fix-ups repair.
        var original = File.ReadAllBytes(WszTestFiles.Fixture("fmnist_cnn_state.pt"));
        var entry = ZipEntries(original).Single(e => e.Name.EndsWith("/data/7", StringComparison.Ordinal));
        var segments = new List<WszSegment> { new(entry.Name, entry.DataOffset, entry.Size / 4, TensorDType.Float32) };
        var (codebook, indices) = WszTestFiles.Share(WszTestFiles.Weights(original, segments), 8);

        // Act
        var result = WszDecoder.ReconstructToArray(WszTestFiles.Build(original, "pytorch", "x.pt", segments, [], codebook, indices));

        // Assert
        using var zip = new ZipArchive(new MemoryStream(result), ZipArchiveMode.Read);
        var spliced = zip.GetEntry(entry.Name)!;
        Assert.NotEqual(BitwiseCrc32(ReadEntry(spliced)), spliced.Crc32);
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using var data = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(data);
        }

        return data.ToArray();
    }

    private static uint BitwiseCrc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
            }
        }

        return ~crc;
    }

    [Fact]
    public void Reconstruct_CrcFixupOverCheckString_WritesTheStandardCheckValue()
    {
        // Arrange: CRC-32 of "123456789" is 0xCBF43926 (the catalogue check value).
        var original = new byte[32];
        Encoding.ASCII.GetBytes("123456789").CopyTo(original, 4);
        var segments = new List<WszSegment> { new("w", 20, 2, TensorDType.Float32) };
        var content = WszTestFiles.Build(original, "safetensors", "a.bin", segments, [new WszCrcFixup(4, 9, [16, 0])], [0.5f], [0, 0]);

        // Act
        var result = WszDecoder.ReconstructToArray(content);

        // Assert
        Assert.Equal(0xCBF43926u, BinaryPrimitives.ReadUInt32LittleEndian(result.AsSpan(16)));
        Assert.Equal(0xCBF43926u, BinaryPrimitives.ReadUInt32LittleEndian(result));
        Assert.Equal(0.5f, BinaryPrimitives.ReadSingleLittleEndian(result.AsSpan(24)));
    }

    [Fact]
    public void Reconstruct_HalfPrecisionSegments_ValuesRoundedToNearestEven()
    {
        // Arrange: 1 + 2^-8 and 1 + 3 * 2^-8 are ties for bfloat16 (7 mantissa bits): they round to 1 and 1 + 2^-6.
        float[] codebook = [1.00390625f, 1.01171875f, -2.5f];
        var original = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var segments = new List<WszSegment>
        {
            new("bf16", 0, 3, TensorDType.BFloat16),
            new("f16", 8, 3, TensorDType.Float16),
            new("f64", 16, 3, TensorDType.Float64),
        };

        // Act
        var result = WszDecoder.ReconstructToArray(WszTestFiles.Build(original, "pytorch", "h.pt", segments, [], codebook, [0, 1, 2, 0, 1, 2, 0, 1, 2]));

        // Assert
        Assert.Equal(new ushort[] { 0x3F80, 0x3F82, 0xC020 }, Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadUInt16LittleEndian(result.AsSpan(2 * i))).ToArray());
        Assert.Equal(codebook.Select(v => (Half)v).ToArray(), Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadHalfLittleEndian(result.AsSpan(8 + (2 * i)))).ToArray());
        Assert.Equal(codebook.Select(v => (double)v).ToArray(), Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(result.AsSpan(16 + (8 * i)))).ToArray());
        Assert.Equal(original[6..8], result[6..8]);
        Assert.Equal(original[40..], result[40..]);
    }

    private sealed record ZipEntry(string Name, long Size, long DataOffset, long LocalCrcOffset, long CentralCrcOffset);

    // Walks the central directory (no zip64: the fixture is small) to find each entry's data and both CRC fields.
    // (Test-side parsing only; the product's zip reader lives in Checkpoints.)
    private static List<ZipEntry> ZipEntries(byte[] zip)
    {
        int eocd = zip.Length - 22;
        while (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(eocd)) != 0x06054b50)
        {
            eocd--;
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(eocd + 10));
        int at = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(eocd + 16));
        var entries = new List<ZipEntry>();
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(0x02014b50u, BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)));
            Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 10)));
            long size = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 24));
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28));
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 30));
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 32));
            int local = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 42));
            string name = Encoding.UTF8.GetString(zip, at + 46, nameLength);
            int localName = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(local + 26));
            int localExtra = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(local + 28));
            long data = local + 30 + localName + localExtra;

            // With flag bit 3 (PyTorch sets it) the local CRC is 0 and the real one follows the data, after an optional signature.
            long localCrc = local + 14;
            if ((BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(local + 6)) & 8) != 0)
            {
                localCrc = data + size + (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan((int)(data + size))) == 0x08074b50 ? 4 : 0);
            }

            entries.Add(new ZipEntry(name, size, data, localCrc, at + 16));
            at += 46 + nameLength + extraLength + commentLength;
        }

        return entries;
    }
}
