namespace WeightShare.Engine.Wsz;

/// <summary>
/// A checksum the splice invalidates (a zip entry's CRC): after splicing, the CRC-32 (IEEE) of the file bytes
/// [DataOffset, DataOffset + Length) is written as 4 little-endian bytes at each offset in CrcFieldOffsets.
/// </summary>
public sealed record WszCrcFixup(long DataOffset, long Length, long[] CrcFieldOffsets);
