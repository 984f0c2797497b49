using WeightShare.Engine.Checkpoints.Pickle;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Tests.Checkpoints;

public class PickleUnpicklerTests
{
    // pickle.dumps(OrderedDict(a=[1, -2, 300, 70000, -2**40, 3.5, None, True, False],
    //     b=(b'xy', 'é', (), (1,), (1, 2), (1, 2, 3)), c={'k': 'v'}), protocol=4) from CPython 3.11.
    private const string Protocol4Hex =
        "80049582000000000000008c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c0161945d94284b014afeffffff" +
        "4d2c014a701101008a060000000000ff47400c0000000000004e8889658c0162942843027879948c02c3a994294b0185944b014b0286944b014b" +
        "024b03879474948c0163947d948c016b948c01769473752e";

    [Fact]
    public void Load_Protocol4PickleFromCPython_BuildsTheSameData()
    {
        // Arrange
        byte[] pickle = Convert.FromHexString(Protocol4Hex);

        // Act
        var root = Assert.IsType<PickleDict>(Unpickler.Load(pickle, GlobalPolicy.StateDict, "test.pkl"));

        // Assert
        Assert.True(root.IsOrdered);
        Assert.Equal(["a", "b", "c"], root.Items.Select(i => i.Key));
        Assert.True(root.TryGetValue("a", out object? a));
        Assert.Equal(new object?[] { 1L, -2L, 300L, 70000L, -(1L << 40), 3.5, null, true, false }, Assert.IsType<List<object?>>(a));
        Assert.True(root.TryGetValue("b", out object? b));
        var tuple = Assert.IsType<PickleTuple>(b);
        Assert.Equal("xy"u8.ToArray(), tuple.Items[0]);
        Assert.Equal("é", tuple.Items[1]);
        Assert.Empty(Assert.IsType<PickleTuple>(tuple.Items[2]).Items);
        Assert.Equal(new object?[] { 1L, 2L, 3L }, Assert.IsType<PickleTuple>(tuple.Items[5]).Items);
        Assert.True(root.TryGetValue("c", out object? c));
        var inner = Assert.IsType<PickleDict>(c);
        Assert.False(inner.IsOrdered);
        Assert.True(inner.TryGetValue("k", out object? v));
        Assert.Equal("v", v);
    }

    [Fact]
    public void Load_StateDictFixturePickle_GivesTensorReferencesWithStorages()
    {
        // Arrange
        byte[] pickle = PickleBytes.ReadFixtureEntry("fmnist_cnn_state.pt", "fmnist_cnn_state/data.pkl");

        // Act
        var root = Assert.IsType<PickleDict>(Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.True(root.IsOrdered);
        Assert.NotNull(root.Attributes); // the _metadata that torch.save attaches with BUILD
        Assert.True(root.TryGetValue("conv1.weight", out object? value));
        var weight = Assert.IsType<TensorReference>(value);
        Assert.Equal(new long[] { 16, 1, 3, 3 }, weight.Size);
        Assert.Equal(new long[] { 9, 9, 3, 1 }, weight.Stride);
        Assert.Equal(new StorageReference("0", TensorDType.Float32, 144), weight.Storage);
        Assert.True(root.TryGetValue("bn1.num_batches_tracked", out object? count));
        var counter = Assert.IsType<TensorReference>(count);
        Assert.Equal(TensorDType.Int64, counter.Storage.DType);
        Assert.Empty(counter.Size);
    }

    [Fact]
    public void Load_TorchScriptFixturePickle_GivesOpaqueModuleObjects()
    {
        // Arrange
        byte[] pickle = PickleBytes.ReadFixtureEntry("fmnist_mlp.pt", "fmnist_mlp/data.pkl");

        // Act
        var root = Assert.IsType<PickleObject>(Unpickler.Load(pickle, GlobalPolicy.TorchScript, "data.pkl"));

        // Assert
        Assert.Equal("__torch__.SmallMlp", root.ClassName);
        var attributes = Assert.IsType<PickleDict>(root.State);
        Assert.True(attributes.TryGetValue("training", out object? training));
        Assert.Equal(false, training);
        Assert.True(attributes.TryGetValue("layers", out object? layers));
        Assert.Equal("__torch__.torch.nn.modules.container.Sequential", Assert.IsType<PickleObject>(layers).ClassName);
    }

    [Fact]
    public void Load_TorchScriptPickleUnderStateDictPolicy_RejectsTheClassGlobal()
    {
        // Arrange
        byte[] pickle = PickleBytes.ReadFixtureEntry("fmnist_mlp.pt", "fmnist_mlp/data.pkl");

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains("'__torch__ SmallMlp'", error.Message);
    }

    [Fact]
    public void Load_HostileFixturePickle_RejectsNamingPosixSystem()
    {
        // Arrange
        byte[] pickle = PickleBytes.ReadFixtureEntry("hostile_state.pt", "hostile_state/data.pkl");

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.TorchScript, "data.pkl"));

        // Assert
        Assert.Contains("the global 'posix system'", error.Message);
        Assert.Contains("nothing in it was run", error.Message);
    }

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("os", "system")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    [InlineData("torch._utils", "_rebuild_qtensor")]
    [InlineData("torch.jit._pickle", "build_intlist")]
    public void Load_DisallowedGlobal_RejectsNamingIt(string module, string name)
    {
        // Arrange
        byte[] pickle = new PickleBytes().Proto().Global(module, name).Str("x").Op(0x85, 'R', '.').ToArray();

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains($"'{module} {name}'", error.Message);
    }

    [Fact]
    public void Load_StackGlobalOfOsSystem_RejectsNamingIt()
    {
        // Arrange
        byte[] pickle = new PickleBytes().Op(0x80, 4).Str("os").Str("system").Op(0x93).Str("id").Op(0x85, 'R', '.').ToArray();

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.TorchScript, "data.pkl"));

        // Assert
        Assert.Contains("'os system'", error.Message);
    }

    [Theory]
    [InlineData("torch", "FloatStorage")]
    [InlineData("torch", "float32")]
    [InlineData("__torch__", "Evil")]
    public void Load_ReduceOfAllowedNonCallable_Rejects(string module, string name)
    {
        // Arrange
        byte[] pickle = new PickleBytes().Proto().Global(module, name).Int(3).Op(0x85, 'R', '.').ToArray();

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.TorchScript, "data.pkl"));

        // Assert
        Assert.Contains($"calls '{module} {name}'", error.Message);
    }

    [Fact]
    public void Load_ReduceOfAString_Rejects()
    {
        // Arrange
        byte[] pickle = new PickleBytes().Proto().Str("os.system").Str("id").Op(0x85, 'R', '.').ToArray();

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains("REDUCE calls a String", error.Message);
    }

    [Theory]
    [InlineData((byte)'i', "INST")]
    [InlineData((byte)'o', "OBJ")]
    [InlineData((byte)'P', "PERSID")]
    [InlineData((byte)0x92, "NEWOBJ_EX")]
    [InlineData((byte)0x82, "EXT1")]
    [InlineData((byte)0xFF, "0xFF")]
    public void Load_UnsupportedOpcode_RejectsNamingIt(byte opcode, string expectedName)
    {
        // Arrange
        byte[] pickle = new PickleBytes().Proto().Op(opcode).Op('.').ToArray();

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.TorchScript, "data.pkl"));

        // Assert
        Assert.Contains($"opcode {expectedName}", error.Message);
    }

    [Theory]
    [InlineData("800268072e")] // BINGET 7
    [InlineData("80026a070000002e")] // LONG_BINGET 7
    public void Load_GetOfUnsetMemoSlot_Rejects(string hex)
    {
        // Arrange
        byte[] pickle = Convert.FromHexString(hex);

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains("memo slot 7, which was never set", error.Message);
    }

    [Fact]
    public void Load_EveryTruncationOfARealPickle_RejectsWithInvalidInput()
    {
        // Arrange
        byte[] pickle = PickleBytes.ReadFixtureEntry("fmnist_cnn.pt", "fmnist_cnn/data.pkl");

        // Act / Assert: no prefix may crash with anything but a clear rejection.
        for (int length = 0; length < pickle.Length; length++)
        {
            byte[] prefix = pickle[..length];
            Assert.Throws<InvalidInputException>(() => Unpickler.Load(prefix, GlobalPolicy.TorchScript, "data.pkl"));
        }
    }

    [Fact]
    public void Load_RandomByteCorruptions_OnlyEverRejectWithInvalidInput()
    {
        // Arrange
        byte[] original = PickleBytes.ReadFixtureEntry("fmnist_cnn_state.pt", "fmnist_cnn_state/data.pkl");
        var random = new Random(20260101);
        int rejected = 0;

        // Act
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] corrupt = (byte[])original.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
            }

            try
            {
                Unpickler.Load(corrupt, GlobalPolicy.StateDict, "data.pkl");
            }
            catch (InvalidInputException)
            {
                rejected++;
            }
        }

        // Assert: reaching here means no other exception escaped; most corruptions must be caught.
        Assert.True(rejected > 1500, $"only {rejected} of 3000 corruptions were rejected");
    }

    [Theory]
    [InlineData("58ffffffff")] // BINUNICODE of 4 GB
    [InlineData("8dffffffffffffff7f")] // BINUNICODE8 of 2^63 bytes
    [InlineData("8dffffffffffffffff")] // BINUNICODE8 of 2^64-1 bytes
    [InlineData("42ffffff7f")] // BINBYTES of 2 GB
    [InlineData("54ffffffff")] // BINSTRING with a negative length
    [InlineData("8bffffff7f")] // LONG4 of 2 GB
    [InlineData("8a09000000000000000001")] // LONG1 wider than 64 bits
    [InlineData("95ffffffffffffff7f")] // FRAME longer than the input
    public void Load_AbsurdLength_RejectsWithoutAllocating(string hex)
    {
        // Arrange
        byte[] pickle = [0x80, 2, .. Convert.FromHexString(hex), (byte)'.'];

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains("data.pkl", error.Message);
    }

    [Fact]
    public void Load_DeeplyNestedMarks_Rejects()
    {
        // Arrange
        byte[] pickle = [0x80, 2, .. Enumerable.Repeat((byte)'(', 100_000), (byte)'.'];

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains($"more than {Unpickler.MaxMarkDepth} MARKs", error.Message);
    }

    [Fact]
    public void Load_DeeplyNestedTuples_BuildsWithoutRecursion()
    {
        // Arrange: 200,000 nested one-element tuples, which a recursive reader would overflow on.
        byte[] pickle = [0x80, 2, (byte)')', .. Enumerable.Repeat((byte)0x85, 200_000), (byte)'.'];

        // Act
        object? root = Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl");

        // Assert
        Assert.IsType<PickleTuple>(root);
    }

    [Fact]
    public void Load_DupFloodingTheStack_Rejects()
    {
        // Arrange
        byte[] pickle = [0x80, 2, (byte)'N', .. Enumerable.Repeat((byte)'2', Unpickler.MaxStackDepth + 1), (byte)'.'];

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains("stack grows beyond", error.Message);
    }

    [Fact]
    public void Load_StopWithLeftoverValues_Rejects()
    {
        // Arrange
        byte[] pickle = [0x80, 2, (byte)'N', (byte)'N', (byte)'.'];

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains("STOP leaves 2 values", error.Message);
    }

    [Fact]
    public void Load_PersistentIdThatIsNotAStorage_Rejects()
    {
        // Arrange
        byte[] pickle = new PickleBytes().Proto().Str("module").Op(0x85, 'Q', '.').ToArray();

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains("persistent id", error.Message);
    }

    [Fact]
    public void Load_StorageKeyWithPathSeparators_Rejects()
    {
        // Arrange
        byte[] pickle = new PickleBytes().Proto().Op('(').Str("storage").Global("torch", "FloatStorage").Str("../x").Str("cpu").Int(1)
            .Op('t', 'Q', '.').ToArray();

        // Act
        var error = Assert.Throws<InvalidInputException>(() => Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.Contains("storage key", error.Message);
    }

    [Fact]
    public void Load_NewerStoragePersistentIdWithDTypeGlobal_GivesTheDType()
    {
        // Arrange: some writers name the storage by its dtype (torch.bfloat16) rather than a typed storage class.
        byte[] pickle = new PickleBytes().Op(0x80, 4).Op('(').Str("storage").Str("torch").Str("bfloat16").Op(0x93)
            .Str("7").Str("cpu").Int(5).Op('t', 'Q', '.').ToArray();

        // Act
        object? root = Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl");

        // Assert
        Assert.Equal(new StorageReference("7", TensorDType.BFloat16, 5), root);
    }

    [Fact]
    public void Load_SavedParameter_KeepsItsRequiresGradFlag()
    {
        // Arrange: torch.save pickles an nn.Parameter through torch._utils._rebuild_parameter.
        byte[] pickle = PickleBytes.ReadFixtureEntry("views_state.pt", "views_state/data.pkl");

        // Act
        var root = Assert.IsType<PickleDict>(Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.True(root.TryGetValue("weight", out object? weight));
        Assert.True(Assert.IsType<TensorReference>(weight).RequiresGrad);
        Assert.True(root.TryGetValue("epoch", out object? epoch));
        Assert.Equal(7L, epoch);
    }
}
