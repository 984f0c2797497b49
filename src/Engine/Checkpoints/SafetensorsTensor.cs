using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints;

/// <summary>A tensor to write into a safetensors file: raw little-endian element bytes in row-major order.</summary>
/// <param name="Name">The tensor's key; unique, not empty, not <c>__metadata__</c>.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions (empty for a scalar).</param>
/// <param name="Data">Exactly product(shape) * element size bytes.</param>
public sealed record SafetensorsTensor(string Name, TensorDType DType, long[] Shape, byte[] Data);
