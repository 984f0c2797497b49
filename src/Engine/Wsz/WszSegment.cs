using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Wsz;

/// <summary>Where one shared tensor's elements sit in the original file; its bytes are rebuilt by the codec.</summary>
/// <param name="TensorName">The tensor's name in the checkpoint, for people reading the file.</param>
/// <param name="FileOffset">Byte offset of the first element in the original file.</param>
/// <param name="ElementCount">Number of elements, stored contiguously, little-endian.</param>
/// <param name="DType">Element type: Float32, Float16, BFloat16 or Float64.</param>
public sealed record WszSegment(string TensorName, long FileOffset, long ElementCount, TensorDType DType)
{
    private readonly long[]? _shape;

    /// <summary>
    /// The tensor's dimensions (their product is <see cref="ElementCount"/>); version 2 files record them so that a
    /// codec can decode per-channel or vector groups. A version 1 file records none: the shape is [ElementCount].
    /// </summary>
    public IReadOnlyList<long> Shape
    {
        get => _shape ?? [ElementCount];
        init => _shape = value?.ToArray();
    }

    /// <summary>Bytes the segment occupies in the file.</summary>
    public long ByteLength => ElementCount * DType.ElementSize();

    /// <inheritdoc />
    public bool Equals(WszSegment? other) =>
        other is not null && TensorName == other.TensorName && FileOffset == other.FileOffset && ElementCount == other.ElementCount
        && DType == other.DType && Shape.SequenceEqual(other.Shape);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TensorName, FileOffset, ElementCount, DType, Shape.Count);
}
