using System.Diagnostics.CodeAnalysis;

namespace WeightShare.Engine.Tensors;

/// <summary>The element types the checkpoint and dataset formats carry.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members name tensor element types (Float32, Int64, ...) as torch and safetensors do; the type name is the meaning.")]
public enum TensorDType
{
    Float32,
    Float16,
    BFloat16,
    Float64,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
}

/// <summary>Facts about each <see cref="TensorDType"/>.</summary>
public static class TensorDTypes
{
    /// <summary>Bytes one element occupies.</summary>
    public static int ElementSize(this TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 or TensorDType.Int64 => 8,
        TensorDType.Float32 or TensorDType.Int32 => 4,
        TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Int16 => 2,
        TensorDType.Int8 or TensorDType.UInt8 or TensorDType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>True for the types whose weights can be shared (replaced by codebook values).</summary>
    public static bool IsFloatingPoint(this TensorDType dtype) =>
        dtype is TensorDType.Float32 or TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Float64;
}
