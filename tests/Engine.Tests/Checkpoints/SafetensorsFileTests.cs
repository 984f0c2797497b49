using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Tests.Checkpoints;

public class SafetensorsFileTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    [Fact]
    public void ReadHeader_CnnFixture_ListsTheStateDictInFileOrderWithShapesAndMetadata()
    {
        // Act
        var header = SafetensorsFile.ReadHeader(Fixture("fmnist_cnn.safetensors"));

        // Assert
        Assert.Equal("make_fixtures.py", header.Metadata["source"]);
        Assert.Equal(
            ["conv1.weight", "conv1.bias", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
             "conv2.weight", "conv2.bias", "bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var", "bn2.num_batches_tracked",
             "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
            header.Tensors.Select(t => t.Name));
        Assert.Equal([16L, 1, 3, 3], header.Find("conv1.weight")!.Shape);
        Assert.Equal([128L, 1568], header.Find("fc1.weight")!.Shape);
        Assert.Equal([10L], header.Find("fc2.bias")!.Shape);
        Assert.Empty(header.Find("bn1.num_batches_tracked")!.Shape);
        Assert.Equal(TensorDType.Int64, header.Find("bn1.num_batches_tracked")!.DType);
        Assert.All(header.Tensors.Where(t => t.DType == TensorDType.Float32),
            t => Assert.Equal(t.Shape.Aggregate(4L, (a, b) => a * b), t.ByteLength));
        Assert.Equal(new FileInfo(Fixture("fmnist_cnn.safetensors")).Length, header.Tensors[^1].FileOffset + header.Tensors[^1].ByteLength);
    }

    [Fact]
    public void ReadBytes_CnnFixtureConv1Weight_EqualsTheStorageTorchSaveWrote()
    {
        // Arrange: the same state_dict was saved as a torch.save zip, whose storage 0 is conv1.weight.
        var header = SafetensorsFile.ReadHeader(Fixture("fmnist_cnn.safetensors"));
        using var zip = ZipContainer.Open(Fixture("fmnist_cnn_state.pt"));

        // Act
        byte[] bytes = SafetensorsFile.ReadBytes(Fixture("fmnist_cnn.safetensors"), header.Find("conv1.weight")!, 1 << 20);

        // Assert
        Assert.Equal(zip.ReadEntry("fmnist_cnn_state/data/0", 1 << 20), bytes);
    }

    [Fact]
    public void ReadAsFloat32_DtypesFixture_GivesTheKnownValuesOfEveryDtype()
    {
        // Arrange
        string path = Fixture("dtypes.safetensors");
        var header = SafetensorsFile.ReadHeader(path);
        float[] Values(string name) => SafetensorsFile.ReadAsFloat32(path, header.Find(name)!, 100);

        // Act and Assert
        Assert.Equal([2L, 3], header.Find("f32")!.Shape);
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f], Values("f32"));
        Assert.Equal(TensorDType.Float16, header.Find("f16")!.DType);
        Assert.Equal([0f, 0.125f, 0.25f, 0.375f], Values("f16"));
        Assert.Equal(TensorDType.BFloat16, header.Find("bf16")!.DType);
        Assert.Equal([0f, 2f, 4f, 6f], Values("bf16"));
        Assert.Equal(TensorDType.Float64, header.Find("f64")!.DType);
        byte[] f64 = SafetensorsFile.ReadBytes(path, header.Find("f64")!, 100);
        Assert.Equal([0.0, 1.0 / 3.0, 2.0 / 3.0], Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(f64.AsSpan(8 * i))));
        Assert.Equal([-1f, 0f, 1f], Values("i64"));
        Assert.Equal(TensorDType.Int64, header.Find("i64")!.DType);
        Assert.Equal([0f, 7f, 14f], Values("i32"));
        Assert.Equal(TensorDType.Int32, header.Find("i32")!.DType);
        Assert.Equal([-3f, 0f, 5f], Values("i8"));
        Assert.Equal(TensorDType.Int8, header.Find("i8")!.DType);
        Assert.Equal([0f, 128f, 255f], Values("u8"));
        Assert.Equal(TensorDType.UInt8, header.Find("u8")!.DType);
        Assert.Empty(header.Metadata);
    }

    [Fact]
    public void WriteThenReadHeader_EveryDtype_RoundTripsNamesShapesBytesAndMetadata()
    {
        // Arrange
        var random = new Random(5);
        var tensors = new List<SafetensorsTensor>();
        long[][] shapes = [[2, 3], [5], [], [0, 3], [1, 1, 2]];
        int n = 0;
        foreach (var dtype in Enum.GetValues<TensorDType>())
        {
            foreach (long[] shape in shapes)
            {
                var data = new byte[shape.Aggregate(1L, (a, b) => a * b) * dtype.ElementSize()];
                random.NextBytes(data);
                tensors.Add(new SafetensorsTensor($"t{n++}.{dtype}", dtype, shape, data));
            }
        }

        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"" };
        string path = Path.Combine(Path.GetTempPath(), $"ws-st-{Guid.NewGuid():N}.safetensors");
        try
        {
            // Act
            using (var output = File.Create(path))
            {
                SafetensorsFile.Write(output, tensors, metadata);
            }

            var header = SafetensorsFile.ReadHeader(path);

            // Assert
            Assert.Equal(0, header.HeaderLength % 8);
            Assert.Equal(metadata, header.Metadata);
            Assert.Equal(tensors.Select(t => t.Name), header.Tensors.Select(t => t.Name).OrderBy(Order));
            foreach (var expected in tensors)
            {
                var info = header.Find(expected.Name)!;
                Assert.Equal(expected.DType, info.DType);
                Assert.Equal(expected.Shape, info.Shape);
                Assert.Equal(expected.Data, SafetensorsFile.ReadBytes(path, info, 1000));
            }
        }
        finally
        {
            File.Delete(path);
        }

        static int Order(string name) => int.Parse(name[1..name.IndexOf('.')], CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F8","shape":[2],"data_offsets":[0,8]}}""", 8, "unknown dtype 'F8'")]
    [InlineData("""{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", 8, "negative")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", 8, "not an integer")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "end before they begin")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", 8, "array of 2 integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8,16]}}""", 8, "array of 2 integers")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "out of range")]
    [InlineData("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "needs 12")]
    [InlineData("""{"w":{"dtype":"F32","shape":[9223372036854775807,4],"data_offsets":[0,8]}}""", 8, "too large")]
    [InlineData("""{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}""", 8, "too large")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2]}}""", 8, "data_offsets is missing")]
    [InlineData("""{"w":{"shape":[2],"data_offsets":[0,8]}}""", 8, "dtype is missing")]
    [InlineData("""{"w":[1,2]}""", 8, "not a JSON object")]
    [InlineData("""{"v":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "'w' overlaps tensor 'v'")]
    [InlineData("""{"v":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "without holes")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "without holes")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "without holes")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "'w' twice")]
    [InlineData("""{"__metadata__":{"k":1},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "not a string")]
    public void ReadHeader_HeaderViolation_ThrowsNamingTheProblem(string json, int dataBytes, string expected)
    {
        // Arrange
        byte[] header = Encoding.UTF8.GetBytes(json);

        // Act
        var ex = AssertRejected(Compose(header, (ulong)header.Length, dataBytes), expected);

        // Assert: the message names the offending tensor (or metadata key).
        Assert.Matches("'(w|k)'", ex.Message);
    }

    [Fact]
    public void ReadHeader_ValidHandBuiltFile_IsAccepted()
    {
        // Arrange: the same composer as the rejection tests, with a consistent header, so those fail for their reason.
        byte[] header = Encoding.UTF8.GetBytes("""{"v":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"I8","shape":[4],"data_offsets":[4,8]}}""");
        string path = WriteTemp(Compose(header, (ulong)header.Length, 8));
        try
        {
            // Act
            var parsed = SafetensorsFile.ReadHeader(path);

            // Assert
            Assert.Equal(["v", "w"], parsed.Tensors.Select(t => t.Name));
            Assert.Equal(8 + header.Length + 4, parsed.Find("w")!.FileOffset);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(200_000_000UL, "100000000 accepted")]
    [InlineData(ulong.MaxValue, "100000000 accepted")]
    [InlineData(5000UL, "holds only")]
    public void ReadHeader_HeaderLengthTooLarge_Throws(ulong claimed, string expected)
    {
        byte[] header = Encoding.UTF8.GetBytes("{}      ");
        AssertRejected(Compose(header, claimed, 0), expected);
    }

    [Fact]
    public void ReadHeader_FileShorterThanLengthPrefix_Throws()
    {
        AssertRejected([1, 2, 3], "too short");
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}' }, "UTF-8")]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o', 32, 32, 32 }, "not valid JSON")]
    [InlineData(new byte[] { (byte)'[', (byte)'1', (byte)']', 32, 32, 32, 32, 32 }, "not a JSON object")]
    public void ReadHeader_HeaderNotAJsonObject_Throws(byte[] header, string expected)
    {
        AssertRejected(Compose(header, (ulong)header.Length, 0), expected);
    }

    [Fact]
    public void ReadHeader_MutatedFixtureOffsets_Throws()
    {
        // Arrange: shift fc2.bias's end one element further in the real fixture's header.
        byte[] bytes = File.ReadAllBytes(Fixture("fmnist_cnn.safetensors"));
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string json = Encoding.UTF8.GetString(bytes, 8, headerLength);
        var fc2Bias = SafetensorsFile.ReadHeader(Fixture("fmnist_cnn.safetensors")).Find("fc2.bias")!;
        long begin = fc2Bias.FileOffset - 8 - headerLength;
        string original = $"[{begin},{begin + 40}]";
        Assert.Contains(original, json);
        string mutated = json.Replace(original, $"[{begin},{begin + 44}]").TrimEnd();
        byte[] newHeader = Encoding.UTF8.GetBytes(mutated.PadRight(headerLength));
        Assert.Equal(headerLength, newHeader.Length);
        newHeader.CopyTo(bytes, 8);

        // Act and Assert
        AssertRejected(bytes, "fc2.bias");
    }

    [Fact]
    public void Write_DataNotMatchingShape_Throws()
    {
        var tensors = new[] { new SafetensorsTensor("w", TensorDType.Float32, [3], new byte[8]) };

        Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(Stream.Null, tensors, null));
    }

    [Fact]
    public void Write_DuplicateNames_Throws()
    {
        var tensors = new[] { new SafetensorsTensor("w", TensorDType.UInt8, [1], [1]), new SafetensorsTensor("w", TensorDType.UInt8, [1], [2]) };

        Assert.Throws<ArgumentException>(() => SafetensorsFile.Write(Stream.Null, tensors, null));
    }

    private static byte[] Compose(byte[] header, ulong claimedLength, int dataBytes)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedLength);
        header.CopyTo(bytes, 8);
        return bytes;
    }

    private static string WriteTemp(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"ws-st-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static InvalidInputException AssertRejected(byte[] bytes, string expected)
    {
        string path = WriteTemp(bytes);
        try
        {
            var ex = Assert.Throws<InvalidInputException>(() => SafetensorsFile.ReadHeader(path));
            Assert.Contains(expected, ex.Message);
            return ex;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
