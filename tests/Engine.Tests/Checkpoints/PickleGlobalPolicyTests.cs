using WeightShare.Engine.Checkpoints.Pickle;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Tests.Checkpoints;

public class PickleGlobalPolicyTests
{
    [Theory]
    [InlineData("collections", "OrderedDict", GlobalKind.OrderedDict)]
    [InlineData("torch._utils", "_rebuild_tensor_v2", GlobalKind.RebuildTensorV2)]
    [InlineData("torch._utils", "_rebuild_parameter", GlobalKind.RebuildParameter)]
    [InlineData("torch._utils", "_rebuild_parameter_with_state", GlobalKind.RebuildParameterWithState)]
    [InlineData("torch", "BFloat16Storage", GlobalKind.StorageType)]
    [InlineData("torch", "float16", GlobalKind.DType)]
    [InlineData("torch", "device", GlobalKind.Device)]
    public void Resolve_StateDictGlobal_IsAllowedByBothPolicies(string module, string name, GlobalKind kind)
    {
        // Act
        PickleGlobal? stateDict = GlobalPolicy.StateDict.Resolve(module, name);
        PickleGlobal? torchScript = GlobalPolicy.TorchScript.Resolve(module, name);

        // Assert
        Assert.Equal(kind, stateDict?.Kind);
        Assert.Equal(kind, torchScript?.Kind);
    }

    [Theory]
    [InlineData("__torch__.torch.nn.modules.conv", "Conv2d", GlobalKind.TorchScriptClass)]
    [InlineData("torch.jit._pickle", "build_tensorlist", GlobalKind.JitListBuilder)]
    [InlineData("torch.jit._pickle", "restore_type_tag", GlobalKind.JitRestoreTypeTag)]
    public void Resolve_TorchScriptOnlyGlobal_IsRefusedForStateDicts(string module, string name, GlobalKind kind)
    {
        // Act / Assert
        Assert.Null(GlobalPolicy.StateDict.Resolve(module, name));
        Assert.Equal(kind, GlobalPolicy.TorchScript.Resolve(module, name)?.Kind);
    }

    [Theory]
    [InlineData("torch", "Tensor")]
    [InlineData("torch", "UntypedStorage")]
    [InlineData("torch._utils", "_rebuild_sparse_tensor")]
    [InlineData("__torch___evil", "X")]
    [InlineData("torch.jit._pickle", "build_tensor_from_id")]
    [InlineData("builtins", "getattr")]
    [InlineData("collections", "defaultdict")]
    public void Resolve_OtherGlobal_IsRefusedByBothPolicies(string module, string name)
    {
        // Act / Assert
        Assert.Null(GlobalPolicy.StateDict.Resolve(module, name));
        Assert.Null(GlobalPolicy.TorchScript.Resolve(module, name));
    }

    [Fact]
    public void Load_ParameterWithStateOnADevice_GivesTheTensorAsData()
    {
        // Arrange: _rebuild_parameter_with_state(_rebuild_tensor_v2(storage, 0, (2,), (1,), False, OrderedDict()), True, OrderedDict(), {})
        // paired with torch.device('cpu') under a second key.
        var pickle = new PickleBytes().Proto().Op('}', '(')
            .Str("p").Global("torch._utils", "_rebuild_parameter_with_state").Op('(')
            .Global("torch._utils", "_rebuild_tensor_v2").Op('(', '(').Str("storage").Global("torch", "HalfStorage").Str("0").Str("cpu").Int(2)
            .Op('t', 'Q').Int(0).Ints(2).Ints(1).Op(0x89).Global("collections", "OrderedDict").Op(')', 'R', 't', 'R')
            .Op(0x88).Global("collections", "OrderedDict").Op(')', 'R', '}', 't', 'R')
            .Str("d").Global("torch", "device").Str("cpu").Op(0x85, 'R')
            .Op('u', '.').ToArray();

        // Act
        var root = Assert.IsType<PickleDict>(Unpickler.Load(pickle, GlobalPolicy.StateDict, "data.pkl"));

        // Assert
        Assert.True(root.TryGetValue("p", out object? p));
        var tensor = Assert.IsType<TensorReference>(p);
        Assert.True(tensor.RequiresGrad);
        Assert.Equal(new StorageReference("0", TensorDType.Float16, 2), tensor.Storage);
        Assert.True(root.TryGetValue("d", out object? device));
        Assert.Equal("cpu", device);
    }

    [Fact]
    public void Load_JitListBuildersAndTypeTags_ReturnTheirDataArgument()
    {
        // Arrange: (build_intlist([1, 2]), restore_type_tag({}, 'Dict[str, int]'))
        var pickle = new PickleBytes().Proto()
            .Global("torch.jit._pickle", "build_intlist").Op(']', '(').Int(1).Int(2).Op('e', 0x85, 'R')
            .Global("torch.jit._pickle", "restore_type_tag").Op('}').Str("Dict[str, int]").Op(0x86, 'R')
            .Op(0x86, '.').ToArray();

        // Act
        var root = Assert.IsType<PickleTuple>(Unpickler.Load(pickle, GlobalPolicy.TorchScript, "constants.pkl"));

        // Assert
        Assert.Equal(new object?[] { 1L, 2L }, Assert.IsType<List<object?>>(root.Items[0]));
        Assert.IsType<PickleDict>(root.Items[1]);
    }
}
