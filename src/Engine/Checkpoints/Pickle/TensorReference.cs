namespace WeightShare.Engine.Checkpoints.Pickle;

/// <summary>A call of torch._utils._rebuild_tensor_v2 (or _rebuild_parameter around it) recorded as data.</summary>
/// <param name="Storage">The storage the tensor views.</param>
/// <param name="StorageOffset">The element offset of the tensor's first element in the storage.</param>
/// <param name="Size">The shape.</param>
/// <param name="Stride">The element stride of each dimension.</param>
/// <param name="RequiresGrad">The requires_grad flag the checkpoint recorded.</param>
public sealed record TensorReference(StorageReference Storage, long StorageOffset, long[] Size, long[] Stride, bool RequiresGrad);
