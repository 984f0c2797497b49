using WeightShare.Engine.Checkpoints;

namespace WeightShare.Engine.Tests.Checkpoints;

public sealed class CheckpointReaderValidationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-validation-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Read_HandBuiltStateDict_LocatesAnOffsetView()
    {
        // Arrange: a 2x2 view starting at element 2 of a 6-element float storage.
        string path = Write(
            PickleBytes.StateDict(new TestTensor("w", "FloatStorage", "0", 6, 2, [2, 2], [2, 1])),
            ("0", new byte[24]));

        // Act
        StoredTensor tensor = CheckpointReader.Read(path).Tensors.Single();

        // Assert
        Assert.Equal(4, tensor.ElementCount);
        Assert.True(tensor.IsContiguous);
        Assert.Equal(2, tensor.StorageOffset);
        Assert.Equal(StorageDataOffset(path, "0") + 8, tensor.FileOffset);
    }

    [Fact]
    public void Read_TransposedView_IsNotContiguousAndHasNoFileOffset()
    {
        // Arrange
        string path = Write(PickleBytes.StateDict(new TestTensor("w", "FloatStorage", "0", 6, 0, [3, 2], [1, 3])), ("0", new byte[24]));

        // Act
        StoredTensor tensor = CheckpointReader.Read(path).Tensors.Single();

        // Assert
        Assert.False(tensor.IsContiguous);
        Assert.Equal(-1, tensor.FileOffset);
    }

    [Fact]
    public void Read_TensorsSharingOneStorage_AreBothListed()
    {
        // Arrange
        string path = Write(
            PickleBytes.StateDict(
                new TestTensor("a", "FloatStorage", "0", 4, 0, [4], [1]),
                new TestTensor("b", "FloatStorage", "0", 4, 2, [2], [1])),
            ("0", new byte[16]));

        // Act
        CheckpointLayout layout = CheckpointReader.Read(path);

        // Assert
        Assert.Equal(["a", "b"], layout.Tensors.Select(t => t.Name));
        Assert.Equal(layout.Tensors[0].FileOffset + 8, layout.Tensors[1].FileOffset);
    }

    [Fact]
    public void Read_DeflatedStorage_HasNoFileOffsetButItsBytesAreReadable()
    {
        // Arrange: a tensor of floats 0..7 viewed from element 2, in a deflated entry (torch never writes one, zip tools may).
        byte[] storage = new byte[32];
        for (int i = 0; i < 8; i++)
        {
            BitConverter.TryWriteBytes(storage.AsSpan(i * 4), (float)i);
        }

        var entries = new Dictionary<string, byte[]>
        {
            ["model/data.pkl"] = PickleBytes.StateDict(new TestTensor("w", "FloatStorage", "0", 8, 2, [3], [1])),
            ["model/data/0"] = storage,
        };
        string path = PickleBytes.WriteZip(_directory, "deflated.pt", entries, new HashSet<string> { "model/data/0" });

        // Act
        CheckpointLayout layout = CheckpointReader.Read(path);
        byte[] bytes = CheckpointReader.ReadTensorBytes(path, layout, layout.Tensors.Single(), 1024);

        // Assert
        Assert.Equal(-1, layout.Tensors.Single().FileOffset);
        Assert.True(layout.Tensors.Single().IsContiguous);
        Assert.Equal(storage[8..20], bytes);
    }

    [Fact]
    public void Read_MissingStorageEntry_RejectsNamingIt()
    {
        // Arrange
        string path = Write(PickleBytes.StateDict(new TestTensor("w", "FloatStorage", "5", 2, 0, [2], [1])), ("0", new byte[8]));

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains("no entry data/5", error.Message);
    }

    [Fact]
    public void Read_StorageEntryOfTheWrongSize_RejectsAsADTypeMismatch()
    {
        // Arrange: the pickle says 4 doubles (32 bytes) but the entry holds 4 floats.
        string path = Write(PickleBytes.StateDict(new TestTensor("w", "DoubleStorage", "0", 4, 0, [4], [1])), ("0", new byte[16]));

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains("dtype or size does not match", error.Message);
    }

    [Fact]
    public void Read_OneStorageViewedWithTwoDTypes_Rejects()
    {
        // Arrange
        string path = Write(
            PickleBytes.StateDict(
                new TestTensor("a", "FloatStorage", "0", 4, 0, [4], [1]),
                new TestTensor("b", "IntStorage", "0", 4, 0, [4], [1])),
            ("0", new byte[16]));

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains("another tensor views it", error.Message);
    }

    [Theory]
    [InlineData(0L, new long[] { 2, 3 }, new long[] { 3, 1 })] // needs 6 of 4 elements
    [InlineData(3L, new long[] { 2 }, new long[] { 1 })] // offset pushes the end past the storage
    [InlineData(0L, new long[] { 2, 2 }, new long[] { 1, 4 })] // a stride reaches beyond
    public void Read_TensorLargerThanItsStorage_Rejects(long offset, long[] size, long[] stride)
    {
        // Arrange
        string path = Write(PickleBytes.StateDict(new TestTensor("w", "FloatStorage", "0", 4, offset, size, stride)), ("0", new byte[16]));

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains("which holds only 4", error.Message);
    }

    [Theory]
    [InlineData(0L, new long[] { -1 }, new long[] { 1 })]
    [InlineData(0L, new long[] { 2 }, new long[] { -1 })]
    [InlineData(-1L, new long[] { 2 }, new long[] { 1 })]
    public void Read_NegativeSizeStrideOrOffset_Rejects(long offset, long[] size, long[] stride)
    {
        // Arrange
        string path = Write(PickleBytes.StateDict(new TestTensor("w", "FloatStorage", "0", 4, offset, size, stride)), ("0", new byte[16]));

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains("negative", error.Message);
    }

    [Theory]
    [InlineData(new long[] { long.MaxValue, 2 }, new long[] { 2, 1 })]
    [InlineData(new long[] { 2, 2 }, new long[] { long.MaxValue, 1 })]
    public void Read_SizesThatOverflow_Rejects(long[] size, long[] stride)
    {
        // Arrange
        string path = Write(PickleBytes.StateDict(new TestTensor("w", "FloatStorage", "0", 4, 0, size, stride)), ("0", new byte[16]));

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains("overflows", error.Message);
    }

    [Fact]
    public void Read_StorageCountBeyondAnyFile_RejectsWithoutOverflowing()
    {
        // Arrange
        string path = Write(PickleBytes.StateDict(new TestTensor("w", "DoubleStorage", "0", long.MaxValue / 2, 0, [1], [1])), ("0", new byte[8]));

        // Act / Assert
        Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));
    }

    [Fact]
    public void Read_ZipWithoutDataPkl_Rejects()
    {
        // Arrange
        string path = PickleBytes.WriteZip(_directory, "nopkl.pt", new Dictionary<string, byte[]> { ["archive/version"] = "3\n"u8.ToArray() });

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains("data.pkl", error.Message);
    }

    [Fact]
    public void Read_StateDictWithoutTensors_Rejects()
    {
        // Arrange
        string path = Write(PickleBytes.StateDict());

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains("no tensors", error.Message);
    }

    [Fact]
    public void Read_CorruptedFixtureArchives_OnlyEverRejectWithInvalidInput()
    {
        // Arrange
        byte[] original = File.ReadAllBytes(PickleFixtures.Path("dtypes_state.pt"));
        var random = new Random(7);
        string path = Path.Combine(_directory, "corrupt.pt");
        int rejected = 0;

        // Act
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] corrupt = (byte[])original.Clone();
            corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
            File.WriteAllBytes(path, corrupt);
            try
            {
                CheckpointReader.Read(path);
            }
            catch (InvalidInputException)
            {
                rejected++;
            }
        }

        // Assert: no other exception escaped, and corruption is usually caught (CRCs, pickle checks).
        Assert.True(rejected > 100, $"only {rejected} of 400 corruptions were rejected");
    }

    private string Write(byte[] pickle, params (string Key, byte[] Data)[] storages)
    {
        var entries = new Dictionary<string, byte[]> { ["model/data.pkl"] = pickle };
        foreach (var (key, data) in storages)
        {
            entries[$"model/data/{key}"] = data;
        }

        entries["model/version"] = "3\n"u8.ToArray();
        return PickleBytes.WriteZip(_directory, $"{Guid.NewGuid():N}.pt", entries);
    }

    private static long StorageDataOffset(string path, string key)
    {
        using ZipContainer zip = ZipContainer.Open(path);
        return zip.Find($"model/data/{key}")!.DataOffset;
    }
}
