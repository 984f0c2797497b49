namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// One entry of a zip archive as <see cref="ZipContainer"/> found it. All offsets are absolute positions in the
/// file, so a writer can copy the file and patch bytes (data, CRC fields) in place.
/// </summary>
/// <param name="Name">The entry name, '/'-separated, validated not to point outside the archive.</param>
/// <param name="CompressionMethod">0 for stored, 8 for deflate (the only two accepted).</param>
/// <param name="LocalHeaderOffset">Where the entry's local file header starts.</param>
/// <param name="DataOffset">Where the entry's (possibly compressed) data starts.</param>
/// <param name="CompressedSize">Bytes of data in the file.</param>
/// <param name="UncompressedSize">Bytes after decompression (equal to the compressed size when stored).</param>
/// <param name="Crc32">The CRC-32 of the uncompressed data, from the central directory.</param>
/// <param name="CentralHeaderOffset">Where the entry's central directory header starts.</param>
/// <param name="LocalCrcFieldOffset">The 4-byte CRC field of the local header.</param>
/// <param name="CentralCrcFieldOffset">The 4-byte CRC field of the central directory header.</param>
/// <param name="HasDataDescriptor">True when general-purpose flag bit 3 is set and a data descriptor follows the data.</param>
/// <param name="DataDescriptorCrcOffset">The 4-byte CRC field of the data descriptor, when there is one.</param>
/// <param name="LocalHeaderHasCrc">
/// False when the local header leaves its CRC zero and defers to the data descriptor (PyTorch does this);
/// a writer must then leave that field zero.
/// </param>
/// <param name="DataDescriptorLength">Bytes the data descriptor occupies after the data (0 when there is none).</param>
public sealed record ZipEntryInfo(
    string Name,
    ushort CompressionMethod,
    long LocalHeaderOffset,
    long DataOffset,
    long CompressedSize,
    long UncompressedSize,
    uint Crc32,
    long CentralHeaderOffset,
    long LocalCrcFieldOffset,
    long CentralCrcFieldOffset,
    bool HasDataDescriptor,
    long? DataDescriptorCrcOffset,
    bool LocalHeaderHasCrc,
    int DataDescriptorLength)
{
    /// <summary>True when the data is stored uncompressed, so its bytes can be read or patched in place.</summary>
    public bool IsStored => CompressionMethod == ZipContainer.MethodStored;

    /// <summary>The first byte after the entry's data (before any data descriptor).</summary>
    public long DataEnd => DataOffset + CompressedSize;
}
