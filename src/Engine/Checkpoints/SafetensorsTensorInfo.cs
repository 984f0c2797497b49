using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints;

/// <summary>One tensor listed in a safetensors header, with its bytes located absolutely in the file.</summary>
/// <param name="Name">The tensor's key in the header.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions (empty for a scalar).</param>
/// <param name="FileOffset">Where the tensor's bytes start: 8 + header length + data_offsets[0].</param>
/// <param name="ByteLength">The tensor's byte count: product(shape) * element size.</param>
public sealed record SafetensorsTensorInfo(string Name, TensorDType DType, long[] Shape, long FileOffset, long ByteLength)
{
    /// <summary>The number of elements, product(shape).</summary>
    public long ElementCount => ByteLength / DType.ElementSize();
}
