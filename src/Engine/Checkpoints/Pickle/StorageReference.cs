using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints.Pickle;

/// <summary>
/// A storage a checkpoint's pickle points at through a persistent id
/// (<c>('storage', storage_type, key, location, numel)</c>); its bytes are the archive entry <c>data/&lt;key&gt;</c>.
/// </summary>
/// <param name="Key">The storage key, the entry name under <c>data/</c>.</param>
/// <param name="DType">The element type of the storage.</param>
/// <param name="ElementCount">The number of elements the storage holds.</param>
public sealed record StorageReference(string Key, TensorDType DType, long ElementCount);
