namespace WeightShare.Engine.Checkpoints.Pickle;

/// <summary>What an allowed pickle global stands for. Each kind is interpreted as data, never called.</summary>
public enum GlobalKind
{
    /// <summary>collections.OrderedDict.</summary>
    OrderedDict,

    /// <summary>torch._utils._rebuild_tensor_v2.</summary>
    RebuildTensorV2,

    /// <summary>torch._utils._rebuild_parameter.</summary>
    RebuildParameter,

    /// <summary>torch._utils._rebuild_parameter_with_state.</summary>
    RebuildParameterWithState,

    /// <summary>A typed storage class such as torch.FloatStorage.</summary>
    StorageType,

    /// <summary>A dtype object such as torch.float32.</summary>
    DType,

    /// <summary>torch.device.</summary>
    Device,

    /// <summary>A TorchScript class (<c>__torch__.*</c>), instantiated only as a <see cref="PickleObject"/>.</summary>
    TorchScriptClass,

    /// <summary>torch.jit._pickle.build_*list, which wrap a list that is already data.</summary>
    JitListBuilder,

    /// <summary>torch.jit._pickle.restore_type_tag, which returns its first argument.</summary>
    JitRestoreTypeTag,
}
