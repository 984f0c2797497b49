using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Codecs;

/// <summary>A tensor whose elements a codec represents: they take values the codec decides.</summary>
/// <param name="Name">Dotted name, the same in the model and in the file.</param>
/// <param name="Shape">Dimensions as the model declares them, so a codec can cut per-tensor, per-channel or vector groups.</param>
/// <param name="FileOffset">Absolute offset of its first element in the uploaded file.</param>
/// <param name="DType">Element type in the file.</param>
public sealed record SharedTensor(string Name, long[] Shape, long FileOffset, TensorDType DType)
{
    /// <summary>Elements it contributes to the shared vector: the product of <see cref="Shape"/>.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dimension) => product * dimension);
}
