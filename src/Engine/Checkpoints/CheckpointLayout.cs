namespace WeightShare.Engine.Checkpoints;

/// <summary>What a checkpoint file holds and where: its format, its tensors and (for zip formats) its entries.</summary>
/// <param name="Format">The detected format.</param>
/// <param name="FileLength">The file's length in bytes.</param>
/// <param name="Tensors">The tensors in the order the checkpoint lists them.</param>
/// <param name="ZipEntries">The archive's entries; empty for safetensors.</param>
public sealed record CheckpointLayout(
    CheckpointFormat Format,
    long FileLength,
    IReadOnlyList<StoredTensor> Tensors,
    IReadOnlyList<ZipEntryInfo> ZipEntries);
