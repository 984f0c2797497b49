using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Coding;

/// <summary>Where one shared tensor's elements sit in the original file; its bytes are rebuilt from the codebook.</summary>
/// <param name="TensorName">The tensor's name in the checkpoint, for people reading the file.</param>
/// <param name="FileOffset">Byte offset of the first element in the original file.</param>
/// <param name="ElementCount">Number of elements, stored contiguously, little-endian.</param>
/// <param name="DType">Element type: Float32, Float16, BFloat16 or Float64.</param>
public sealed record WszSegment(string TensorName, long FileOffset, long ElementCount, TensorDType DType)
{
    /// <summary>Bytes the segment occupies in the file.</summary>
    public long ByteLength => ElementCount * DType.ElementSize();
}
