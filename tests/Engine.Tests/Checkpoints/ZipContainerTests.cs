using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using WeightShare.Engine.Checkpoints;

namespace WeightShare.Engine.Tests.Checkpoints;

public class ZipContainerTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    [Theory]
    [InlineData("fmnist_cnn_state.pt")]
    [InlineData("fmnist_cnn.pt")]
    [InlineData("hostile_state.pt")]
    public void Open_PyTorchArchive_ListsTheSameEntriesAsZipArchiveWithMatchingContentAndCrc(string fixture)
    {
        // Arrange
        using var reference = ZipFile.OpenRead(Fixture(fixture));

        // Act
        using var zip = ZipContainer.Open(Fixture(fixture));

        // Assert
        Assert.Equal(reference.Entries.Select(e => e.FullName), zip.Entries.Select(e => e.Name));
        foreach (var expected in reference.Entries)
        {
            var entry = zip.Find(expected.FullName);
            Assert.NotNull(entry);
            Assert.Equal(expected.Crc32, entry.Crc32);
            Assert.Equal(expected.Length, entry.UncompressedSize);
            Assert.Equal(expected.CompressedLength, entry.CompressedSize);

            using var content = new MemoryStream();
            using (var stream = expected.Open())
            {
                stream.CopyTo(content);
            }

            byte[] actual = zip.ReadEntry(expected.FullName, 10_000_000);
            Assert.Equal(content.ToArray(), actual);
            Assert.Equal(entry.Crc32, Crc32.Compute(actual));
        }
    }

    [Fact]
    public void Open_TorchSaveArchive_GivesDataOffsetsWhereTheRawStorageBytesLie()
    {
        // Arrange
        byte[] file = File.ReadAllBytes(Fixture("fmnist_cnn_state.pt"));

        // Act
        using var zip = ZipContainer.Open(Fixture("fmnist_cnn_state.pt"));

        // Assert: PyTorch stores storages uncompressed and aligned to 64 bytes, with a deferred CRC.
        var storage = zip.Find("fmnist_cnn_state/data/0")!;
        Assert.True(storage.IsStored);
        Assert.Equal(0, storage.DataOffset % 64);
        Assert.True(storage.HasDataDescriptor);
        Assert.False(storage.LocalHeaderHasCrc);
        Assert.Equal(576, storage.CompressedSize);
        Assert.Equal(zip.ReadEntry(storage, 576), file.AsSpan((int)storage.DataOffset, 576).ToArray());
        Assert.Equal(storage.Crc32, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)storage.CentralCrcFieldOffset)));
        Assert.Equal(storage.Crc32, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)storage.DataDescriptorCrcOffset!.Value)));
        Assert.Equal(0x04034b50u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)storage.LocalHeaderOffset)));
        Assert.Equal(0x02014b50u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)storage.CentralHeaderOffset)));
    }

    [Fact]
    public void Open_HandBuiltArchive_ReadsEntriesAndLocalCrcField()
    {
        // Arrange
        byte[] data = Encoding.ASCII.GetBytes("hello, weights");
        string path = ZipTestArchive.WriteTemp(ZipTestArchive.Build([new ZipTestEntry("a/b.bin", data)]));
        try
        {
            // Act
            using var zip = ZipContainer.Open(path);

            // Assert
            var entry = Assert.Single(zip.Entries);
            Assert.True(entry.LocalHeaderHasCrc);
            Assert.False(entry.HasDataDescriptor);
            Assert.Equal(Crc32.Compute(data), BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(path).AsSpan((int)entry.LocalCrcFieldOffset)));
            Assert.Equal(data, zip.ReadEntry("a/b.bin", 100));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_Zip64ExtraFieldsAndEndRecord_ResolvesSizesAndOffsets()
    {
        // Arrange
        byte[] first = [1, 2, 3], second = [4, 5, 6, 7, 8];
        string path = ZipTestArchive.WriteTemp(ZipTestArchive.Build(
            [new ZipTestEntry("x", first) { Zip64 = true }, new ZipTestEntry("y", second) { Zip64 = true }], zip64End: true));
        try
        {
            // Act
            using var zip = ZipContainer.Open(path);

            // Assert
            Assert.Equal(3, zip.Find("x")!.UncompressedSize);
            Assert.Equal(5, zip.Find("y")!.CompressedSize);
            Assert.Equal(second, zip.ReadEntry("y", 10));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("a/../../evil")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\..\\evil")]
    [InlineData("C:evil")]
    [InlineData("a\0b")]
    public void Open_EntryNamePointingOutside_Throws(string name)
    {
        // Arrange
        string path = ZipTestArchive.WriteTemp(ZipTestArchive.Build([new ZipTestEntry(name, [1])]));
        try
        {
            // Act
            var ex = Assert.Throws<InvalidInputException>(() => ZipContainer.Open(path));

            // Assert
            Assert.Contains("points outside the archive", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_ZipArchiveWrittenEntryDotDotEvil_Throws()
    {
        // Arrange: the BCL writer accepts the hostile name, with deflate and a data descriptor.
        string path = Path.Combine(Path.GetTempPath(), $"ws-zip-{Guid.NewGuid():N}.zip");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("../evil").Open());
            writer.Write("escape");
        }

        try
        {
            // Act
            var ex = Assert.Throws<InvalidInputException>(() => ZipContainer.Open(path));

            // Assert
            Assert.Contains("../evil", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_DeflatedArchiveFromZipArchive_InflatesAndVerifiesCrc()
    {
        // Arrange
        string path = Path.Combine(Path.GetTempPath(), $"ws-zip-{Guid.NewGuid():N}.zip");
        string text = string.Concat(Enumerable.Repeat("weights share one codebook. ", 200));
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(archive.CreateEntry("doc/readme.txt").Open());
            writer.Write(text);
        }

        try
        {
            // Act
            using var zip = ZipContainer.Open(path);

            // Assert
            Assert.Equal(ZipContainer.MethodDeflate, zip.Entries[0].CompressionMethod);
            Assert.Equal(text, Encoding.UTF8.GetString(zip.ReadEntry("doc/readme.txt", 1_000_000)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_DuplicateNames_Throws()
    {
        AssertRejected([new ZipTestEntry("w", [1]), new ZipTestEntry("w", [2])], "two entries named 'w'");
    }

    [Fact]
    public void Open_UnsupportedCompressionMethod_Throws()
    {
        AssertRejected([new ZipTestEntry("w", [1, 2]) { Method = 12 }], "compression method 12");
    }

    [Fact]
    public void Open_EncryptedEntry_Throws()
    {
        AssertRejected([new ZipTestEntry("w", [1, 2]) { Flags = 0x801 }], "encrypted");
    }

    [Fact]
    public void Open_LocalSizeDisagreesWithCentral_Throws()
    {
        AssertRejected([new ZipTestEntry("w", new byte[8]) { LocalSizeOverride = 4 }, new ZipTestEntry("v", [1])], "disagrees");
    }

    [Fact]
    public void Open_EntryDataRunsIntoNextEntry_Throws()
    {
        AssertRejected([new ZipTestEntry("w", new byte[100]) { SizeOverride = 140 }, new ZipTestEntry("v", new byte[100])], "overlaps entry 'v'");
    }

    [Fact]
    public void Open_EntryDataBeyondFile_Throws()
    {
        AssertRejected([new ZipTestEntry("w", new byte[10]) { SizeOverride = 1L << 31 }], "beyond");
    }

    [Fact]
    public void Open_EmptyOrRandomFile_ThrowsNotAZip()
    {
        // Arrange
        var random = new Random(7);
        byte[] noise = new byte[5000];
        random.NextBytes(noise);

        // Act and Assert
        foreach (byte[] bytes in new[] { Array.Empty<byte>(), noise, Encoding.ASCII.GetBytes("PK\u0003\u0004 not really") })
        {
            string path = ZipTestArchive.WriteTemp(bytes);
            try
            {
                var ex = Assert.Throws<InvalidInputException>(() => ZipContainer.Open(path));
                Assert.Contains("not a zip archive", ex.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(832000)]
    [InlineData(833955 - 30)]
    [InlineData(833955 - 1)]
    public void Open_TruncatedFixture_Throws(int keep)
    {
        // Arrange
        byte[] full = File.ReadAllBytes(Fixture("fmnist_cnn_state.pt"));
        Assert.Equal(833955, full.Length);
        string path = ZipTestArchive.WriteTemp(full[..keep]);
        try
        {
            // Act and Assert
            Assert.Throws<InvalidInputException>(() => ZipContainer.Open(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(16, 0x7FFFFFF0u)] // EOCD central directory offset far beyond the file
    [InlineData(12, 0x7FFFFFF0u)] // EOCD central directory size far beyond the file
    [InlineData(16, 5u)] // EOCD central directory offset pointing into the first entry's data
    public void Open_CorruptedEndRecordOfHandBuiltZip_Throws(int field, uint value)
    {
        // Arrange
        byte[] bytes = ZipTestArchive.Build([new ZipTestEntry("w", new byte[64]), new ZipTestEntry("v", new byte[64])]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 22 + field), value);

        // Act and Assert
        AssertFileRejected(bytes);
    }

    [Theory]
    [InlineData(48)] // ZIP64 end record: central directory offset
    [InlineData(40)] // ZIP64 end record: central directory size
    [InlineData(32)] // ZIP64 end record: entry count
    public void Open_CorruptedZip64EndRecordOfFixture_Throws(int field)
    {
        // Arrange: PyTorch always writes a ZIP64 end record; the locator (20 bytes) sits right before the EOCD.
        byte[] bytes = File.ReadAllBytes(Fixture("fmnist_cnn_state.pt"));
        int locator = bytes.Length - 22 - 20;
        int zip64End = (int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(locator + 8));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(zip64End + field), 0x7FFF_FFFF_0000L);

        // Act and Assert
        AssertFileRejected(bytes);
    }

    [Fact]
    public void Open_CorruptedZip64LocatorOffset_Throws()
    {
        // Arrange
        byte[] bytes = File.ReadAllBytes(Fixture("fmnist_cnn_state.pt"));
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(bytes.Length - 22 - 20 + 8), bytes.Length * 4L);

        // Act and Assert
        AssertFileRejected(bytes);
    }

    [Fact]
    public void ReadEntry_FlippedDataByte_ThrowsCrcMismatch()
    {
        // Arrange
        byte[] bytes = File.ReadAllBytes(Fixture("fmnist_cnn_state.pt"));
        string path = ZipTestArchive.WriteTemp(bytes);
        try
        {
            long offset;
            using (var probe = ZipContainer.Open(path))
            {
                offset = probe.Find("fmnist_cnn_state/data/0")!.DataOffset;
            }

            bytes[offset + 10] ^= 0x40;
            File.WriteAllBytes(path, bytes);
            using var zip = ZipContainer.Open(path);

            // Act
            var ex = Assert.Throws<InvalidInputException>(() => zip.ReadEntry("fmnist_cnn_state/data/0", 1000));

            // Assert
            Assert.Contains("CRC-32", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadEntry_LargerThanCallerAccepts_Throws()
    {
        // Arrange
        using var zip = ZipContainer.Open(Fixture("fmnist_cnn_state.pt"));

        // Act
        var ex = Assert.Throws<InvalidInputException>(() => zip.ReadEntry("fmnist_cnn_state/data/14", 1000));

        // Assert
        Assert.Contains("802816", ex.Message);
    }

    [Fact]
    public void ReadEntry_MissingName_Throws()
    {
        using var zip = ZipContainer.Open(Fixture("fmnist_cnn_state.pt"));

        Assert.Throws<InvalidInputException>(() => zip.ReadEntry("fmnist_cnn_state/data/99", 1000));
        Assert.Null(zip.Find("fmnist_cnn_state/data/99"));
    }

    private static void AssertRejected(ZipTestEntry[] entries, string expectedMessagePart)
    {
        string path = ZipTestArchive.WriteTemp(ZipTestArchive.Build(entries));
        try
        {
            var ex = Assert.Throws<InvalidInputException>(() => ZipContainer.Open(path));
            Assert.Contains(expectedMessagePart, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertFileRejected(byte[] bytes)
    {
        string path = ZipTestArchive.WriteTemp(bytes);
        try
        {
            Assert.Throws<InvalidInputException>(() => ZipContainer.Open(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
