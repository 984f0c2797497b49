using System.Buffers.Binary;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Tests.Checkpoints;

public sealed class StateDictWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-writer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Write_ThenRead_GivesBackNamesDTypesShapesAndBytes()
    {
        // Arrange
        var random = new Random(3);
        (string Name, TensorDType DType, long[] Shape, byte[] Data)[] tensors =
        [
            ("conv.weight", TensorDType.Float32, [4, 2, 3, 3], RandomBytes(random, 4 * 2 * 9 * 4)),
            ("conv.bias", TensorDType.Float16, [4], RandomBytes(random, 8)),
            ("bn.num_batches_tracked", TensorDType.Int64, [], RandomBytes(random, 8)),
            ("embedding.ünïcode", TensorDType.BFloat16, [3, 5], RandomBytes(random, 30)),
            ("empty", TensorDType.Float64, [0, 7], []),
            ("mask", TensorDType.Bool, [2, 2], [1, 0, 0, 1]),
            ("codes", TensorDType.UInt8, [5], RandomBytes(random, 5)),
            ("counts", TensorDType.Int32, [2], RandomBytes(random, 8)),
            ("small", TensorDType.Int16, [1], RandomBytes(random, 2)),
            ("signed", TensorDType.Int8, [3], RandomBytes(random, 3)),
        ];
        string path = Path.Combine(_directory, "written.pt");

        // Act
        using (var file = File.Create(path))
        {
            StateDictWriter.Write(file, tensors);
        }

        CheckpointLayout layout = CheckpointReader.Read(path);

        // Assert
        Assert.Equal(CheckpointFormat.PyTorch, layout.Format);
        Assert.Equal(tensors.Select(t => (t.Name, t.DType)), layout.Tensors.Select(t => (t.Name, t.DType)));
        for (int i = 0; i < tensors.Length; i++)
        {
            Assert.Equal(tensors[i].Shape, layout.Tensors[i].Shape);
            Assert.Equal(tensors[i].Data, CheckpointReader.ReadTensorBytes(path, layout, layout.Tensors[i], 1 << 20));
        }
    }

    [Fact]
    public void Write_Entries_AreStoredAlignedTo64AndPassTheirCrc()
    {
        // Arrange
        byte[] data = new byte[40];
        BinaryPrimitives.WriteSingleLittleEndian(data, 1.5f);
        string path = Path.Combine(_directory, "aligned.pt");
        using (var file = File.Create(path))
        {
            StateDictWriter.Write(file, [("a", TensorDType.Float32, [10], data), ("bb", TensorDType.Float32, [2, 5], data)]);
        }

        // Act
        using ZipContainer zip = ZipContainer.Open(path);

        // Assert
        Assert.Equal(["archive/data.pkl", "archive/data/0", "archive/data/1", "archive/version"], zip.Entries.Select(e => e.Name));
        Assert.All(zip.Entries, e => Assert.True(e.IsStored));
        Assert.All(zip.Entries, e => Assert.Equal(0, e.DataOffset % 64));
        Assert.All(zip.Entries, e => zip.ReadEntry(e, 1 << 20)); // verifies each CRC-32
        Assert.Equal("3\n"u8.ToArray(), zip.ReadEntry("archive/version", 16));
        Assert.Equal(data, zip.ReadEntry("archive/data/1", 64));
    }

    [Fact]
    public void Write_DataNotMatchingTheShape_Throws()
    {
        // Act / Assert
        Assert.Throws<ArgumentException>(() => StateDictWriter.Write(Stream.Null, [("w", TensorDType.Float32, [3], new byte[8])]));
    }

    [Fact]
    public void Write_RepeatedName_Throws()
    {
        // Act / Assert
        Assert.Throws<ArgumentException>(() => StateDictWriter.Write(
            Stream.Null, [("w", TensorDType.UInt8, [1], new byte[1]), ("w", TensorDType.UInt8, [1], new byte[1])]));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
