namespace WeightShare.Engine.Checkpoints;

/// <summary>The validated header of a safetensors file.</summary>
/// <param name="Tensors">The tensors in the order their bytes appear in the file.</param>
/// <param name="Metadata">The free-form string pairs under <c>__metadata__</c> (empty when absent).</param>
/// <param name="HeaderLength">The JSON header's length in bytes, as the 8-byte prefix gives it.</param>
public sealed record SafetensorsHeader(
    IReadOnlyList<SafetensorsTensorInfo> Tensors,
    IReadOnlyDictionary<string, string> Metadata,
    long HeaderLength)
{
    /// <summary>The tensor named exactly <paramref name="name"/>, or null.</summary>
    public SafetensorsTensorInfo? Find(string name) => Tensors.FirstOrDefault(t => t.Name == name);
}
