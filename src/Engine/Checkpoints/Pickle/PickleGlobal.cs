using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints.Pickle;

/// <summary>A global the <see cref="GlobalPolicy"/> allowed, as the unpickler holds it on its stack.</summary>
/// <param name="Module">The module part, e.g. <c>torch._utils</c>.</param>
/// <param name="Name">The name part, e.g. <c>_rebuild_tensor_v2</c>.</param>
/// <param name="Kind">How the unpickler interprets it.</param>
/// <param name="DType">The element type, for storage types and dtypes; otherwise null.</param>
public sealed record PickleGlobal(string Module, string Name, GlobalKind Kind, TensorDType? DType = null)
{
    /// <summary>The name as Python's pickle spells it in messages: module and name separated by a space.</summary>
    public string DisplayName => $"{Module} {Name}";
}
