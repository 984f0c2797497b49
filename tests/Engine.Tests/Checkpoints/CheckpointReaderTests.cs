using System.Buffers.Binary;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Tests.Checkpoints;

public class CheckpointReaderTests
{
    private const long MaxBytes = 16L * 1024 * 1024;

    private static readonly string[] CnnNames =
    [
        "conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
        "conv2.weight", "conv2.bias", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var", "bn2.num_batches_tracked",
        "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
    ];

    [Theory]
    [InlineData("fmnist_cnn.pt", CheckpointFormat.TorchScript)]
    [InlineData("fmnist_mlp.pt", CheckpointFormat.TorchScript)]
    [InlineData("fmnist_cnn_libtorch210.pt", CheckpointFormat.TorchScript)]
    [InlineData("fmnist_cnn_state.pt", CheckpointFormat.PyTorch)]
    [InlineData("dtypes_state.pt", CheckpointFormat.PyTorch)]
    [InlineData("fmnist_cnn.safetensors", CheckpointFormat.Safetensors)]
    public void Read_Fixture_DetectsTheFormatFromContent(string fixture, CheckpointFormat expected)
    {
        // Act
        CheckpointLayout layout = CheckpointReader.Read(PickleFixtures.Path(fixture));

        // Assert
        Assert.Equal(expected, layout.Format);
        Assert.Equal(new FileInfo(PickleFixtures.Path(fixture)).Length, layout.FileLength);
        Assert.Equal(expected == CheckpointFormat.Safetensors, layout.ZipEntries.Count == 0);
    }

    [Fact]
    public void Read_StateDictFixture_EqualsTheSafetensorsFixtureOfTheSameModel()
    {
        // Arrange
        string statePath = PickleFixtures.Path("fmnist_cnn_state.pt");
        string safetensorsPath = PickleFixtures.Path("fmnist_cnn.safetensors");
        SafetensorsHeader reference = SafetensorsFile.ReadHeader(safetensorsPath);

        // Act
        CheckpointLayout layout = CheckpointReader.Read(statePath);
        CheckpointLayout safetensors = CheckpointReader.Read(safetensorsPath);

        // Assert
        Assert.Equal(CnnNames, layout.Tensors.Select(t => t.Name));
        Assert.Equal(reference.Tensors.Select(t => t.Name), layout.Tensors.Select(t => t.Name));
        foreach (StoredTensor tensor in layout.Tensors)
        {
            SafetensorsTensorInfo expected = reference.Find(tensor.Name)!;
            Assert.Equal(expected.DType, tensor.DType);
            Assert.Equal(expected.Shape, tensor.Shape);
            Assert.Equal(expected.ElementCount, tensor.ElementCount);
            Assert.True(tensor.IsContiguous);
            byte[] expectedBytes = SafetensorsFile.ReadBytes(safetensorsPath, expected, MaxBytes);
            Assert.Equal(expectedBytes, CheckpointReader.ReadTensorBytes(statePath, layout, tensor, MaxBytes));
            StoredTensor viaLayout = safetensors.Tensors.Single(t => t.Name == tensor.Name);
            Assert.Equal(expectedBytes, CheckpointReader.ReadTensorBytes(safetensorsPath, safetensors, viaLayout, MaxBytes));
        }
    }

    [Fact]
    public void Read_StateDictFixture_FileOffsetsPointAtEachStorageInTheRawFile()
    {
        // Arrange
        string path = PickleFixtures.Path("fmnist_cnn_state.pt");
        byte[] file = File.ReadAllBytes(path);

        // Act
        CheckpointLayout layout = CheckpointReader.Read(path);

        // Assert: torch stores entries uncompressed and 64-byte aligned, so each tensor is readable in place.
        foreach (StoredTensor tensor in layout.Tensors)
        {
            Assert.True(tensor.FileOffset > 0);
            Assert.Equal(0, tensor.FileOffset % 64);
            byte[] expected = PickleBytes.ReadFixtureEntry("fmnist_cnn_state.pt", $"fmnist_cnn_state/data/{tensor.StorageKey}");
            Assert.Equal(expected, file.AsSpan((int)tensor.FileOffset, (int)tensor.ByteLength).ToArray());
        }
    }

    [Fact]
    public void Read_TorchScriptCnn_GivesTheStateDictNamesAndValues()
    {
        // Arrange
        string scriptPath = PickleFixtures.Path("fmnist_cnn.pt");
        string statePath = PickleFixtures.Path("fmnist_cnn_state.pt");
        CheckpointLayout state = CheckpointReader.Read(statePath);

        // Act
        CheckpointLayout script = CheckpointReader.Read(scriptPath);

        // Assert
        Assert.Equal(CnnNames.Order(), script.Tensors.Select(t => t.Name).Order());
        foreach (StoredTensor tensor in script.Tensors)
        {
            StoredTensor expected = state.Tensors.Single(t => t.Name == tensor.Name);
            Assert.Equal(expected.DType, tensor.DType);
            Assert.Equal(expected.Shape, tensor.Shape);
            Assert.Equal(
                CheckpointReader.ReadTensorBytes(statePath, state, expected, MaxBytes),
                CheckpointReader.ReadTensorBytes(scriptPath, script, tensor, MaxBytes));
        }
    }

    [Fact]
    public void Read_Libtorch210TorchScript_GivesTheTorch113FilesNamesShapesAndValues()
    {
        // Arrange: tools/LibtorchFixtures re-saved fmnist_cnn.pt (torch 1.13) with libtorch 2.10, which adds the
        // byteorder and .data/serialization_id records and names the archive's folder after the new file.
        string olderPath = PickleFixtures.Path("fmnist_cnn.pt");
        string newerPath = PickleFixtures.Path("fmnist_cnn_libtorch210.pt");
        CheckpointLayout older = CheckpointReader.Read(olderPath);

        // Act
        CheckpointLayout newer = CheckpointReader.Read(newerPath);

        // Assert
        Assert.Contains(newer.ZipEntries, e => e.Name == "fmnist_cnn_libtorch210/.data/serialization_id");
        Assert.Equal(older.Tensors.Select(t => t.Name), newer.Tensors.Select(t => t.Name));
        foreach (StoredTensor tensor in newer.Tensors)
        {
            StoredTensor expected = older.Tensors.Single(t => t.Name == tensor.Name);
            Assert.Equal(expected.DType, tensor.DType);
            Assert.Equal(expected.Shape, tensor.Shape);
            Assert.Equal(expected.IsContiguous, tensor.IsContiguous);
            Assert.Equal(
                CheckpointReader.ReadTensorBytes(olderPath, older, expected, MaxBytes),
                CheckpointReader.ReadTensorBytes(newerPath, newer, tensor, MaxBytes));
        }

        Assert.Equal(CheckpointReader.Summarize(older), CheckpointReader.Summarize(newer));
    }

    [Fact]
    public void Read_TracedMlp_NamesTensorsByAttributePath()
    {
        // Act
        CheckpointLayout layout = CheckpointReader.Read(PickleFixtures.Path("fmnist_mlp.pt"));

        // Assert
        Assert.Equal(["layers.1.weight", "layers.1.bias", "layers.3.weight", "layers.3.bias"], layout.Tensors.Select(t => t.Name));
        Assert.Equal([[256, 784], [256], [10, 256], [10]], layout.Tensors.Select(t => t.Shape));
        Assert.All(layout.Tensors, t => Assert.Equal(TensorDType.Float32, t.DType));
    }

    [Fact]
    public void Read_DTypesState_GivesTheKnownValuesOfEveryDType()
    {
        // Arrange
        string path = PickleFixtures.Path("dtypes_state.pt");

        // Act
        CheckpointLayout layout = CheckpointReader.Read(path);
        byte[] Bytes(string name) => CheckpointReader.ReadTensorBytes(path, layout, layout.Tensors.Single(t => t.Name == name), MaxBytes);

        // Assert: the values make_fixtures.py wrote (arange-based), recomputed here.
        Assert.Equal(
            [(TensorDType.Float32, new long[] { 2, 3 }), (TensorDType.Float16, [4]), (TensorDType.BFloat16, [4]), (TensorDType.Float64, [3]),
             (TensorDType.Int64, [3]), (TensorDType.Int32, [3]), (TensorDType.Int8, [3]), (TensorDType.UInt8, [3])],
            layout.Tensors.Select(t => (t.DType, t.Shape)));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => i / 4f), Decode(Bytes("f32"), 4, b => BinaryPrimitives.ReadSingleLittleEndian(b)));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => i / 8f), Decode(Bytes("f16"), 2, b => (float)BinaryPrimitives.ReadHalfLittleEndian(b)));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => i * 2f), Decode(Bytes("bf16"), 2, b => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b) << 16)));
        Assert.Equal(Enumerable.Range(0, 3).Select(i => i / 3.0), Decode(Bytes("f64"), 8, b => BinaryPrimitives.ReadDoubleLittleEndian(b)));
        Assert.Equal([-1L, 0, 1], Decode(Bytes("i64"), 8, b => BinaryPrimitives.ReadInt64LittleEndian(b)));
        Assert.Equal([0, 7, 14], Decode(Bytes("i32"), 4, b => BinaryPrimitives.ReadInt32LittleEndian(b)));
        Assert.Equal([-3, 0, 5], Bytes("i8").Select(b => (sbyte)b).ToArray());
        Assert.Equal([0, 128, 255], Bytes("u8"));
    }

    [Fact]
    public void Read_HostileState_RejectsNamingTheGlobalAndRunsNothing()
    {
        // Arrange
        const string marker = "/tmp/weightshare-pwned";
        File.Delete(marker);

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(PickleFixtures.Path("hostile_state.pt")));

        // Assert
        Assert.Contains("'posix system'", error.Message);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0x7B, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D })] // a header length beyond the file
    public void Read_UnknownContent_RejectsNamingTheFormats(byte[] content)
    {
        // Arrange
        string path = Path.Combine(Path.GetTempPath(), $"ckpt-unknown-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, content);

        try
        {
            // Act
            var error = Assert.Throws<UnsupportedFormatException>(() => CheckpointReader.Read(path));

            // Assert
            Assert.Contains("not a TorchScript, PyTorch, safetensors or ONNX file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Summarize_TheThreeCnnFiles_AgreeOnTheSharedParameterCount()
    {
        // Arrange: conv1 16x1x3x3, conv2 32x16x3x3, fc1 128x1568, fc2 10x128.
        const long expectedShared = 16 * 9 + 32 * 16 * 9 + 128 * 1568 + 10 * 128;
        const long expectedParameters = expectedShared + 16 + 16 + 16 + 32 + 32 + 32 + 128 + 10;

        // Act
        CheckpointSummary script = CheckpointReader.Summarize(CheckpointReader.Read(PickleFixtures.Path("fmnist_cnn.pt")));
        CheckpointSummary state = CheckpointReader.Summarize(CheckpointReader.Read(PickleFixtures.Path("fmnist_cnn_state.pt")));
        CheckpointSummary safetensors = CheckpointReader.Summarize(CheckpointReader.Read(PickleFixtures.Path("fmnist_cnn.safetensors")));

        // Assert
        Assert.All([script, state, safetensors], s => Assert.Equal(expectedShared, s.SharedParameterCount));
        Assert.All([script, state, safetensors], s => Assert.Equal(expectedParameters, s.ParameterCount));
        Assert.All([script, state, safetensors], s => Assert.Equal(18, s.TensorCount));
        Assert.True(script.CanEvaluate);
        Assert.False(state.CanEvaluate);
        Assert.False(safetensors.CanEvaluate);
    }

    [Fact]
    public void Read_ViewsOfOneStorage_LocatesEachViewAndSkipsNonTensors()
    {
        // Arrange: ckpt_pickle_extra.py saved base = arange(12), tail = base[5:9], transposed = base.view(3, 4).t(),
        // an nn.Parameter [0.5, -0.5] and an integer epoch, under a nested "model" dict.
        string path = PickleFixtures.Path("views_state.pt");

        // Act
        CheckpointLayout layout = CheckpointReader.Read(path);

        // Assert
        Assert.Equal(["model.base", "model.tail", "model.transposed", "weight"], layout.Tensors.Select(t => t.Name));
        StoredTensor whole = layout.Tensors[0], tail = layout.Tensors[1], transposed = layout.Tensors[2];
        Assert.Equal(whole.StorageKey, tail.StorageKey);
        Assert.Equal(whole.FileOffset + 5 * 4, tail.FileOffset);
        Assert.Equal([5f, 6f, 7f, 8f], Decode(CheckpointReader.ReadTensorBytes(path, layout, tail, MaxBytes), 4, b => BinaryPrimitives.ReadSingleLittleEndian(b)));
        Assert.Equal(new long[] { 4, 3 }, transposed.Shape);
        Assert.False(transposed.IsContiguous);
        Assert.Equal(-1, transposed.FileOffset);
        Assert.Equal([0.5f, -0.5f], Decode(CheckpointReader.ReadTensorBytes(path, layout, layout.Tensors[3], MaxBytes), 4, b => BinaryPrimitives.ReadSingleLittleEndian(b)));
    }

    [Fact]
    public void Read_TorchScriptWithTiedModule_ListsTheNamesTorchStateDictGives()
    {
        // Arrange: the keys torch.jit.load(...).state_dict() printed for ckpt_pickle_extra.py's Tied module.
        string[] expected = ["blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias", "again.weight", "again.bias"];

        // Act
        CheckpointLayout layout = CheckpointReader.Read(PickleFixtures.Path("shared_script.pt"));

        // Assert
        Assert.Equal(CheckpointFormat.TorchScript, layout.Format);
        Assert.Equal(expected, layout.Tensors.Select(t => t.Name));
        Assert.Equal(layout.Tensors[0].StorageKey, layout.Tensors[4].StorageKey);
        Assert.Equal(layout.Tensors[0].FileOffset, layout.Tensors[4].FileOffset);
        Assert.Equal(new long[] { 3, 4 }, layout.Tensors[2].Shape);
    }

    private static T[] Decode<T>(byte[] bytes, int size, Func<ReadOnlySpan<byte>, T> read)
    {
        var values = new T[bytes.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = read(bytes.AsSpan(i * size, size));
        }

        return values;
    }
}
