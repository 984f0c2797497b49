using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints;

/// <summary>One tensor of a checkpoint and where its bytes are.</summary>
/// <param name="Name">The state_dict name, e.g. <c>conv1.weight</c>.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The size of each dimension.</param>
/// <param name="ElementCount">The product of <paramref name="Shape"/>.</param>
/// <param name="FileOffset">
/// The absolute byte offset in the file of the tensor's first element when its bytes lie there as is (stored,
/// uncompressed, and contiguous); otherwise -1.
/// </param>
/// <param name="IsContiguous">True when the elements are laid out densely in row-major order.</param>
/// <param name="StorageKey">The storage key (entry <c>data/&lt;key&gt;</c>) in zip checkpoints; null for safetensors.</param>
public sealed record StoredTensor(
    string Name,
    TensorDType DType,
    long[] Shape,
    long ElementCount,
    long FileOffset,
    bool IsContiguous,
    string? StorageKey)
{
    /// <summary>The element offset of the tensor's first element within its storage (0 for safetensors).</summary>
    public long StorageOffset { get; init; }

    /// <summary>The bytes the tensor's elements occupy when contiguous.</summary>
    public long ByteLength => ElementCount * DType.ElementSize();
}
