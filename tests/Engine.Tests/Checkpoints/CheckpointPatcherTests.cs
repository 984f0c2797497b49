using System.Buffers.Binary;
using System.IO.Compression;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Tests.Checkpoints;

public sealed class CheckpointPatcherTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"ws-patch-{Guid.NewGuid():N}.bin");

    public void Dispose() => File.Delete(_output);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    [Theory]
    [InlineData("fmnist_cnn_state.pt", "fmnist_cnn_state/data/0")]
    [InlineData("fmnist_cnn.pt", "fmnist_cnn/data/0")]
    [InlineData("fmnist_cnn_state.pt", "fmnist_cnn_state/data/14")]
    public void Write_NewFloatsIntoStoredEntry_GivesAZipWhoseCrcsVerifyAndOnlyPatchedBytesAndCrcFieldsChange(string fixture, string entryName)
    {
        // Arrange
        string source = Fixture(fixture);
        byte[] original = File.ReadAllBytes(source);
        ZipEntryInfo entry;
        using (var zip = ZipContainer.Open(source))
        {
            entry = zip.Find(entryName)!;
        }

        float[] values = Enumerable.Range(0, (int)entry.CompressedSize / 4).Select(i => (i % 17) * 0.125f - 1f).ToArray();
        byte[] newBytes = FloatCodec.EncodeFloats(values, TensorDType.Float32);
        using var entriesZip = ZipContainer.Open(source);

        // Act
        using (var output = File.Create(_output))
        {
            CheckpointPatcher.Write(source, [new BytePatch(entry.DataOffset, newBytes)], entriesZip.Entries, output);
        }

        // Assert: the BCL reader parses the archive independently; it does not check CRCs of stored entries
        // itself (.NET 10), so compare the CRC it reports against the content it reads.
        byte[] patched = File.ReadAllBytes(_output);
        Assert.Equal(original.Length, patched.Length);
        using (var archive = ZipFile.OpenRead(_output))
        {
            foreach (var e in archive.Entries)
            {
                using var content = new MemoryStream();
                using (var stream = e.Open())
                {
                    stream.CopyTo(content);
                }

                Assert.Equal(e.Crc32, Crc32.Compute(content.ToArray()));
            }
        }

        using var reread = ZipContainer.Open(_output);
        foreach (var e in reread.Entries)
        {
            Assert.Equal(Crc32.Compute(reread.ReadEntry(e, 10_000_000)), e.Crc32);
        }

        Assert.Equal(values, FloatCodec.DecodeFloats(reread.ReadEntry(entryName, 10_000_000), TensorDType.Float32));
        Assert.NotEqual(entry.Crc32, reread.Find(entryName)!.Crc32);
        var allowed = new HashSet<long>(Enumerable.Range(0, 4).SelectMany(k => new[] { entry.CentralCrcFieldOffset + k, entry.DataDescriptorCrcOffset!.Value + k }));
        for (long i = 0; i < original.Length; i++)
        {
            bool inPatch = i >= entry.DataOffset && i < entry.DataEnd;
            if (!inPatch && !allowed.Contains(i))
            {
                Assert.True(original[i] == patched[i], $"byte {i} changed outside the patch and CRC fields");
            }
        }
    }

    [Fact]
    public void Write_HandBuiltZipWithCrcInLocalHeader_UpdatesLocalAndCentralCrc()
    {
        // Arrange
        string source = ZipTestArchive.WriteTemp(ZipTestArchive.Build([new ZipTestEntry("a", new byte[32]), new ZipTestEntry("b", new byte[16])]));
        try
        {
            using var zip = ZipContainer.Open(source);
            var a = zip.Find("a")!;
            byte[] replacement = [9, 8, 7, 6, 5];

            // Act
            using (var output = File.Create(_output))
            {
                CheckpointPatcher.Write(source, [new BytePatch(a.DataOffset + 3, replacement)], zip.Entries, output);
            }

            // Assert
            byte[] expected = new byte[32];
            replacement.CopyTo(expected, 3);
            byte[] patched = File.ReadAllBytes(_output);
            Assert.Equal(Crc32.Compute(expected), BinaryPrimitives.ReadUInt32LittleEndian(patched.AsSpan((int)a.LocalCrcFieldOffset)));
            Assert.Equal(Crc32.Compute(expected), BinaryPrimitives.ReadUInt32LittleEndian(patched.AsSpan((int)a.CentralCrcFieldOffset)));
            using var archive = ZipFile.OpenRead(_output);
            using var content = new MemoryStream();
            using (var stream = archive.GetEntry("a")!.Open())
            {
                stream.CopyTo(content);
            }

            Assert.Equal(expected, content.ToArray());
            Assert.Equal(Crc32.Compute(expected), archive.GetEntry("a")!.Crc32);
            using var reread = ZipContainer.Open(_output);
            Assert.Equal(expected, reread.ReadEntry("a", 100));
        }
        finally
        {
            File.Delete(source);
        }
    }

    [Fact]
    public void Write_FlatFilePatchAcrossBufferBoundary_ReplacesExactlyThoseBytes()
    {
        // Arrange: eval.safetensors is larger than the 1 MiB copy buffer.
        string source = Fixture("eval.safetensors");
        byte[] original = File.ReadAllBytes(source);
        Assert.True(original.Length > (1 << 20) + 100);
        byte[] replacement = Enumerable.Range(0, 100).Select(i => (byte)(i * 3 + 1)).ToArray();
        long at = (1 << 20) - 37;

        // Act
        using (var output = File.Create(_output))
        {
            CheckpointPatcher.Write(source, [new BytePatch(at, replacement), new BytePatch(10_000, new byte[] { 0xAB })], null, output);
        }

        // Assert
        byte[] expected = (byte[])original.Clone();
        replacement.CopyTo(expected, at);
        expected[10_000] = 0xAB;
        Assert.Equal(expected, File.ReadAllBytes(_output));
    }

    [Fact]
    public void Write_SafetensorsTensorPatch_ReadsBackTheNewValues()
    {
        // Arrange
        string source = Fixture("fmnist_cnn.safetensors");
        var bias = SafetensorsFile.ReadHeader(source).Find("fc2.bias")!;
        float[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        // Act
        using (var output = File.Create(_output))
        {
            CheckpointPatcher.Write(source, [new BytePatch(bias.FileOffset, FloatCodec.EncodeFloats(values, TensorDType.Float32))], null, output);
        }

        // Assert
        var header = SafetensorsFile.ReadHeader(_output);
        Assert.Equal(values, SafetensorsFile.ReadAsFloat32(_output, header.Find("fc2.bias")!, 10));
        Assert.Equal(bias, header.Find("fc2.bias")! with { Shape = bias.Shape });
        Assert.Equal(
            SafetensorsFile.ReadAsFloat32(source, header.Find("fc1.bias")!, 1000),
            SafetensorsFile.ReadAsFloat32(_output, header.Find("fc1.bias")!, 1000));
    }

    [Fact]
    public void Write_OverlappingPatches_Throws()
    {
        string source = Fixture("fmnist_cnn.safetensors");

        var ex = Assert.Throws<InvalidInputException>(() =>
            CheckpointPatcher.Write(source, [new BytePatch(1000, new byte[8]), new BytePatch(1004, new byte[8])], null, Stream.Null));

        Assert.Contains("overlaps", ex.Message);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(829848L - 3)]
    [InlineData(long.MaxValue - 2)]
    public void Write_PatchOutsideTheFile_Throws(long offset)
    {
        string source = Fixture("fmnist_cnn.safetensors");

        var ex = Assert.Throws<InvalidInputException>(() =>
            CheckpointPatcher.Write(source, [new BytePatch(offset, new byte[4])], null, Stream.Null));

        Assert.Contains("outside", ex.Message);
    }

    [Fact]
    public void Write_PatchRunningPastEntryData_Throws()
    {
        // Arrange
        using var zip = ZipContainer.Open(Fixture("fmnist_cnn_state.pt"));
        var entry = zip.Find("fmnist_cnn_state/data/0")!;

        // Act
        var ex = Assert.Throws<InvalidInputException>(() =>
            CheckpointPatcher.Write(Fixture("fmnist_cnn_state.pt"), [new BytePatch(entry.DataEnd - 2, new byte[4])], zip.Entries, Stream.Null));

        // Assert
        Assert.Contains("outside every entry's data", ex.Message);
    }

    [Fact]
    public void Write_PatchInLocalHeader_Throws()
    {
        using var zip = ZipContainer.Open(Fixture("fmnist_cnn_state.pt"));
        var entry = zip.Find("fmnist_cnn_state/data/1")!;

        Assert.Throws<InvalidInputException>(() =>
            CheckpointPatcher.Write(Fixture("fmnist_cnn_state.pt"), [new BytePatch(entry.LocalHeaderOffset + 2, new byte[1])], zip.Entries, Stream.Null));
    }

    [Fact]
    public void Write_PatchInDeflatedEntry_Throws()
    {
        // Arrange: TorchScript code files are deflated.
        using var zip = ZipContainer.Open(Fixture("fmnist_cnn.pt"));
        var code = zip.Entries.First(e => !e.IsStored);

        // Act
        var ex = Assert.Throws<InvalidInputException>(() =>
            CheckpointPatcher.Write(Fixture("fmnist_cnn.pt"), [new BytePatch(code.DataOffset, new byte[1])], zip.Entries, Stream.Null));

        // Assert
        Assert.Contains("compressed entry", ex.Message);
    }

    [Fact]
    public void Write_EntriesOfAnotherFile_Throws()
    {
        // Arrange: the TorchScript archive's entries do not describe the state_dict archive.
        using var other = ZipContainer.Open(Fixture("fmnist_cnn.pt"));
        var entry = other.Find("fmnist_cnn/data/14")!;

        // Act
        var ex = Assert.Throws<InvalidInputException>(() =>
            CheckpointPatcher.Write(Fixture("fmnist_cnn_state.pt"), [new BytePatch(entry.DataOffset, new byte[4])], other.Entries, Stream.Null));

        // Assert
        Assert.Contains("CRC-32", ex.Message);
    }
}
