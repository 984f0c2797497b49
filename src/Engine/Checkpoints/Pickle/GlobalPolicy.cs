using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints.Pickle;

/// <summary>
/// The globals a pickle may name. Anything not listed is refused when the GLOBAL opcode is read, before any
/// REDUCE could reach it; what is listed is interpreted as data by <see cref="Unpickler"/>, never imported or called.
/// </summary>
public sealed class GlobalPolicy
{
    private static readonly Dictionary<string, TensorDType> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = TensorDType.Float32,
        ["HalfStorage"] = TensorDType.Float16,
        ["BFloat16Storage"] = TensorDType.BFloat16,
        ["DoubleStorage"] = TensorDType.Float64,
        ["LongStorage"] = TensorDType.Int64,
        ["IntStorage"] = TensorDType.Int32,
        ["ShortStorage"] = TensorDType.Int16,
        ["CharStorage"] = TensorDType.Int8,
        ["ByteStorage"] = TensorDType.UInt8,
        ["BoolStorage"] = TensorDType.Bool,
    };

    private static readonly Dictionary<string, TensorDType> DTypes = new(StringComparer.Ordinal)
    {
        ["float32"] = TensorDType.Float32,
        ["float"] = TensorDType.Float32,
        ["float16"] = TensorDType.Float16,
        ["half"] = TensorDType.Float16,
        ["bfloat16"] = TensorDType.BFloat16,
        ["float64"] = TensorDType.Float64,
        ["double"] = TensorDType.Float64,
        ["int64"] = TensorDType.Int64,
        ["long"] = TensorDType.Int64,
        ["int32"] = TensorDType.Int32,
        ["int"] = TensorDType.Int32,
        ["int16"] = TensorDType.Int16,
        ["short"] = TensorDType.Int16,
        ["int8"] = TensorDType.Int8,
        ["uint8"] = TensorDType.UInt8,
        ["bool"] = TensorDType.Bool,
    };

    private readonly bool _allowsTorchScript;

    private GlobalPolicy(bool allowsTorchScript) => _allowsTorchScript = allowsTorchScript;

    /// <summary>What <c>torch.save(state_dict)</c> needs: OrderedDict, tensor rebuilders, storage types, dtypes, device.</summary>
    public static GlobalPolicy StateDict { get; } = new(allowsTorchScript: false);

    /// <summary>
    /// What <c>torch.jit.save</c> needs on top of <see cref="StateDict"/>: <c>__torch__.*</c> classes (kept as opaque
    /// <see cref="PickleObject"/> data) and the torch.jit._pickle list builders.
    /// </summary>
    public static GlobalPolicy TorchScript { get; } = new(allowsTorchScript: true);

    /// <summary>The interpretation of <paramref name="module"/>.<paramref name="name"/>, or null when it is not allowed.</summary>
    public PickleGlobal? Resolve(string module, string name)
    {
        switch (module)
        {
            case "collections" when name == "OrderedDict":
                return new(module, name, GlobalKind.OrderedDict);
            case "torch._utils":
                return name switch
                {
                    "_rebuild_tensor_v2" => new(module, name, GlobalKind.RebuildTensorV2),
                    "_rebuild_parameter" => new(module, name, GlobalKind.RebuildParameter),
                    "_rebuild_parameter_with_state" => new(module, name, GlobalKind.RebuildParameterWithState),
                    _ => null,
                };
            case "torch":
                if (StorageTypes.TryGetValue(name, out TensorDType storageType))
                {
                    return new(module, name, GlobalKind.StorageType, storageType);
                }

                if (DTypes.TryGetValue(name, out TensorDType dtype))
                {
                    return new(module, name, GlobalKind.DType, dtype);
                }

                return name == "device" ? new(module, name, GlobalKind.Device) : null;
            case "torch.jit._pickle" when _allowsTorchScript:
                return name switch
                {
                    "build_intlist" or "build_tensorlist" or "build_doublelist" or "build_boollist"
                        => new(module, name, GlobalKind.JitListBuilder),
                    "restore_type_tag" => new(module, name, GlobalKind.JitRestoreTypeTag),
                    _ => null,
                };
        }

        if (_allowsTorchScript && (module == "__torch__" || module.StartsWith("__torch__.", StringComparison.Ordinal)))
        {
            return new(module, name, GlobalKind.TorchScriptClass);
        }

        return null;
    }
}
