namespace WeightShare.Engine.Checkpoints;

/// <summary>Bytes that replace the same number of bytes of a file, starting at an absolute offset.</summary>
/// <param name="FileOffset">Where the replacement starts in the source file.</param>
/// <param name="Bytes">The new bytes.</param>
public sealed record BytePatch(long FileOffset, ReadOnlyMemory<byte> Bytes)
{
    /// <summary>The first offset after the replaced range.</summary>
    public long End => FileOffset + Bytes.Length;
}
