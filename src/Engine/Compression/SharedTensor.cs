using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Compression;

/// <summary>A tensor whose elements take values from the shared codebook.</summary>
/// <param name="Name">Dotted name, the same in the model and in the file.</param>
/// <param name="ElementCount">Elements it contributes to the shared vector.</param>
/// <param name="FileOffset">Absolute offset of its first element in the uploaded file.</param>
/// <param name="DType">Element type in the file.</param>
public sealed record SharedTensor(string Name, long ElementCount, long FileOffset, TensorDType DType);
