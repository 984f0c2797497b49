using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Tests.Checkpoints;

public sealed class OnnxReaderTests : IDisposable
{
    private const long MaxBytes = 16L * 1024 * 1024;
    private const string Onnx = "fmnist_cnn.onnx";
    private const string Typed = "fmnist_cnn_typed.onnx";
    private const string External = "fmnist_cnn_external.onnx";
    private const string StateDict = "fmnist_cnn_state.pt";

    private readonly string _directory = Directory.CreateTempSubdirectory("wsw-onnx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Read_ExportedCnn_ListsTheInitializersWithTheirShapes()
    {
        // Act
        CheckpointLayout layout = CheckpointReader.Read(Fixtures.Path(Onnx));

        // Assert
        Assert.Equal(CheckpointFormat.Onnx, layout.Format);
        Assert.Equal(new FileInfo(Fixtures.Path(Onnx)).Length, layout.FileLength);
        Assert.Empty(layout.ZipEntries);
        Assert.Equal(
            ["fc1.weight [128,1568]", "fc1.bias [128]", "fc2.weight [10,128]", "fc2.bias [10]",
             "onnx::Conv_32 [16,1,3,3]", "onnx::Conv_33 [16]", "onnx::Conv_35 [32,16,3,3]", "onnx::Conv_36 [32]"],
            layout.Tensors.Select(t => $"{t.Name} [{string.Join(',', t.Shape)}]"));
        Assert.All(layout.Tensors, t => Assert.Equal(TensorDType.Float32, t.DType));
        Assert.All(layout.Tensors, t => Assert.True(t.FileOffset > 0 && t.FileOffset + t.ByteLength <= layout.FileLength));
    }

    [Fact]
    public void ReadTensorBytes_LinearWeights_EqualTheStateDictExactly()
    {
        // Arrange
        CheckpointLayout onnx = CheckpointReader.Read(Fixtures.Path(Onnx));

        // Act / Assert: Gemm keeps the Linear weights as they are (transB), so fc1 and fc2 match by shape.
        foreach (long[] shape in new[] { new long[] { 128, 1568 }, [128], [10, 128], [10] })
        {
            StoredTensor tensor = onnx.Tensors.Single(t => t.Shape.SequenceEqual(shape));
            Assert.Equal(StateDictFloats(t => t.Shape.SequenceEqual(shape) && t.Name.StartsWith("fc", StringComparison.Ordinal)),
                Floats(Onnx, onnx, tensor));
        }
    }

    [Fact]
    public void ReadTensorBytes_ConvWeights_AreTheStateDictsWithBatchNormFolded()
    {
        // Arrange: eval-mode export folds each BatchNorm into its Conv: w * gamma / sqrt(var + eps), in float32.
        CheckpointLayout onnx = CheckpointReader.Read(Fixtures.Path(Onnx));

        foreach (var (conv, bn, shape) in new[] { ("conv1", "bn1", new long[] { 16, 1, 3, 3 }), ("conv2", "bn2", [32, 16, 3, 3]) })
        {
            float[] weight = StateDictFloats(t => t.Name == $"{conv}.weight");
            float[] gamma = StateDictFloats(t => t.Name == $"{bn}.weight");
            float[] variance = StateDictFloats(t => t.Name == $"{bn}.running_var");
            int perChannel = weight.Length / gamma.Length;
            var expected = new float[weight.Length];
            for (int i = 0; i < weight.Length; i++)
            {
                int channel = i / perChannel;
                expected[i] = weight[i] * (gamma[channel] / MathF.Sqrt(variance[channel] + 1e-5f));
            }

            // Act
            float[] actual = Floats(Onnx, onnx, onnx.Tensors.Single(t => t.Shape.SequenceEqual(shape)));

            // Assert
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Read_TypedFloatData_GivesTheSameValuesFromThePackedField()
    {
        // Arrange
        CheckpointLayout raw = CheckpointReader.Read(Fixtures.Path(Onnx));

        // Act
        CheckpointLayout typed = CheckpointReader.Read(Fixtures.Path(Typed));

        // Assert
        Assert.Equal(CheckpointFormat.Onnx, typed.Format);
        Assert.Equal(raw.Tensors.Select(t => t.Name), typed.Tensors.Select(t => t.Name));
        foreach (StoredTensor tensor in typed.Tensors)
        {
            Assert.True(tensor.FileOffset > 0);
            StoredTensor reference = raw.Tensors.Single(t => t.Name == tensor.Name);
            Assert.Equal(reference.Shape, tensor.Shape);
            Assert.Equal(
                CheckpointReader.ReadTensorBytes(Fixtures.Path(Onnx), raw, reference, MaxBytes),
                CheckpointReader.ReadTensorBytes(Fixtures.Path(Typed), typed, tensor, MaxBytes));
        }
    }

    [Fact]
    public void Read_ExternalData_IsRefusedWithHowToSaveInOneFile()
    {
        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(Fixtures.Path(External)));

        // Assert
        Assert.Contains("external files", error.Message, StringComparison.Ordinal);
        Assert.Contains("'fc1.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("save_as_external_data=False", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedModel_IsRefusedAsInvalid()
    {
        // Arrange
        string path = Path.Combine(_directory, "truncated.onnx");
        byte[] bytes = File.ReadAllBytes(Fixtures.Path(Onnx));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.IsNotType<UnsupportedFormatException>(error);
        Assert.Contains("not a valid ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NegativeFieldLength_IsRefusedInsteadOfLoopingBack()
    {
        // Arrange: ir_version 7, then a graph field whose length prefix (0xFFFFFFFA) reads as -6 in 32 bits: a reader
        // that took it would jump back onto its own tag forever.
        string path = Path.Combine(_directory, "negative.onnx");
        File.WriteAllBytes(path, [0x08, 0x07, 0x3A, 0xFA, 0xFF, 0xFF, 0xFF, 0x0F]);

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains("not a valid ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RandomBytes_AreNotTakenForOnnx()
    {
        // Arrange
        string path = Path.Combine(_directory, "random.onnx");
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x42;
        File.WriteAllBytes(path, bytes);

        // Act
        var detected = Assert.Throws<UnsupportedFormatException>(() => CheckpointReader.Read(path));
        var direct = Assert.ThrowsAny<InvalidInputException>(() => OnnxReader.Read(path));

        // Assert
        Assert.Contains("ONNX", detected.Message, StringComparison.Ordinal);
        Assert.Contains("ONNX model", direct.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HostileGraphLength_IsRefusedBeforeAnyAllocation()
    {
        // Arrange: ir_version 7, then a graph field claiming 2 GB in a file of a few bytes.
        string path = Path.Combine(_directory, "hostile.onnx");
        File.WriteAllBytes(path, Model(output =>
        {
            output.WriteTag(7, WireFormat.WireType.LengthDelimited);
            output.WriteLength(int.MaxValue);
            output.WriteRawTag(0x2A, 0x00);
        }));
        long before = GC.GetAllocatedBytesForCurrentThread();

        // Act
        var error = Assert.Throws<InvalidInputException>(() => CheckpointReader.Read(path));

        // Assert
        Assert.Contains($"claims {int.MaxValue} bytes", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000);
    }

    [Fact]
    public void Read_UnpackedFloatData_HasNoFileOffset()
    {
        // Arrange: one initializer whose two floats are written as separate fixed32 fields, not one packed run.
        string path = Path.Combine(_directory, "unpacked.onnx");
        ByteString graph = Message(5, Tensor("w", [2], tensor =>
        {
            tensor.WriteTag(4, WireFormat.WireType.Fixed32);
            tensor.WriteFloat(1.5f);
            tensor.WriteTag(4, WireFormat.WireType.Fixed32);
            tensor.WriteFloat(2.5f);
        }));
        File.WriteAllBytes(path, Model(output =>
        {
            output.WriteTag(7, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(graph);
        }));

        // Act
        CheckpointLayout layout = CheckpointReader.Read(path);

        // Assert
        StoredTensor tensor = Assert.Single(layout.Tensors);
        Assert.Equal("w", tensor.Name);
        Assert.Equal([2L], tensor.Shape);
        Assert.Equal(-1, tensor.FileOffset);
    }

    [Fact]
    public void Summarize_ExportedCnn_CountsTheInitializersAndCanEvaluate()
    {
        // Act
        CheckpointSummary summary = CheckpointReader.Summarize(CheckpointReader.Read(Fixtures.Path(Onnx)));

        // Assert: BatchNorm is folded into the convs, so there are 8 initializers and no running statistics.
        Assert.Equal(CheckpointFormat.Onnx, summary.Format);
        Assert.Equal(8, summary.TensorCount);
        Assert.Equal(200_704 + 128 + 1280 + 10 + 144 + 16 + 4608 + 32, summary.ParameterCount);
        Assert.Equal(200_704 + 1280 + 144 + 4608, summary.SharedParameterCount);
        Assert.True(summary.CanEvaluate);
    }

    [Fact]
    public void CheckpointPatcher_ZeroedFc2Weight_OnnxRuntimeLoadsItAndReturnsTheBias()
    {
        // Arrange
        string source = Fixtures.Path(Onnx);
        string patched = Path.Combine(_directory, "patched.onnx");
        CheckpointLayout layout = CheckpointReader.Read(source);
        StoredTensor weight = layout.Tensors.Single(t => t.Shape.SequenceEqual([10L, 128L]));
        float[] bias = Floats(Onnx, layout, layout.Tensors.Single(t => t.Shape.SequenceEqual([10L])));
        byte[] zeros = FloatCodec.EncodeFloats(new float[weight.ElementCount], weight.DType);

        // Act
        using (var output = File.Create(patched))
        {
            CheckpointPatcher.Write(source, [new BytePatch(weight.FileOffset, zeros)], zipEntries: null, output);
        }

        float[] before = Run(source);
        float[] after = Run(patched);

        // Assert: with fc2's weight zero the logits are fc2's bias whatever the image.
        Assert.NotEqual(before, after);
        Assert.Equal(bias, after);
        Assert.Equal(new FileInfo(source).Length, new FileInfo(patched).Length);
    }

    private static float[] Run(string path)
    {
        var image = new float[28 * 28];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = (i % 29) / 10f - 1f;
        }

        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(image, [1, 1, 28, 28]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [input], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] Floats(string fixture, CheckpointLayout layout, StoredTensor tensor) =>
        FloatCodec.DecodeFloats(CheckpointReader.ReadTensorBytes(Fixtures.Path(fixture), layout, tensor, MaxBytes), tensor.DType);

    private static float[] StateDictFloats(Func<StoredTensor, bool> match)
    {
        CheckpointLayout state = CheckpointReader.Read(Fixtures.Path(StateDict));
        return Floats(StateDict, state, state.Tensors.Single(match));
    }

    private static byte[] Model(Action<CodedOutputStream> graph)
    {
        using var memory = new MemoryStream();
        using (var output = new CodedOutputStream(memory, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteInt64(7);
            graph(output);
        }

        return memory.ToArray();
    }

    private static ByteString Message(int field, ByteString payload)
    {
        using var memory = new MemoryStream();
        using (var output = new CodedOutputStream(memory, leaveOpen: true))
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(payload);
        }

        return ByteString.CopyFrom(memory.ToArray());
    }

    private static ByteString Tensor(string name, long[] dims, Action<CodedOutputStream> values)
    {
        using var memory = new MemoryStream();
        using (var output = new CodedOutputStream(memory, leaveOpen: true))
        {
            foreach (long dim in dims)
            {
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteInt64(dim);
            }

            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteInt32(1);
            output.WriteTag(8, WireFormat.WireType.LengthDelimited);
            output.WriteString(name);
            values(output);
        }

        return ByteString.CopyFrom(memory.ToArray());
    }
}
