using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// A read-only view of a zip archive (the container of torch.save and torch.jit.save files), written for hostile
/// input: every length and offset is checked against the real file before it is used, entry names may not point
/// outside the archive, and entries may not overlap. Keeps the file open until disposed.
/// </summary>
public sealed class ZipContainer : IDisposable
{
    /// <summary>Compression method 0: the data is stored as is.</summary>
    public const ushort MethodStored = 0;

    /// <summary>Compression method 8: the data is deflated.</summary>
    public const ushort MethodDeflate = 8;

    private const uint LocalHeaderSignature = 0x04034b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint DataDescriptorSignature = 0x08074b50;
    private const int LocalHeaderLength = 30;
    private const int CentralHeaderLength = 46;
    private const int EndOfCentralDirectoryLength = 22;
    private const int Zip64LocatorLength = 20;
    private const int Zip64EndLength = 56;
    private const ushort Zip64ExtraId = 0x0001;
    private const long MaxCentralDirectoryBytes = 256L * 1024 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, ZipEntryInfo> _byName;

    private ZipContainer(SafeFileHandle handle, long length, List<ZipEntryInfo> entries)
    {
        _handle = handle;
        FileLength = length;
        Entries = entries;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The entries in central directory order.</summary>
    public IReadOnlyList<ZipEntryInfo> Entries { get; }

    /// <summary>The length of the archive file in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Opens and validates the archive at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidInputException">The file is not a well-formed zip archive this reader accepts.</exception>
    public static ZipContainer Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long length = RandomAccess.GetLength(handle);
            var entries = new Parser(handle, length).ReadEntries();
            return new ZipContainer(handle, length, entries);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The entry named exactly <paramref name="name"/>, or null.</summary>
    public ZipEntryInfo? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Reads and decompresses an entry and verifies its CRC-32.
    /// </summary>
    /// <param name="name">The exact entry name.</param>
    /// <param name="maxBytes">The largest uncompressed size the caller accepts.</param>
    /// <exception cref="InvalidInputException">The entry is missing, too large, corrupt, or fails its CRC.</exception>
    public byte[] ReadEntry(string name, long maxBytes)
    {
        var entry = Find(name) ?? throw new InvalidInputException($"The archive has no entry named '{name}'.");
        return ReadEntry(entry, maxBytes);
    }

    /// <summary>Reads and decompresses <paramref name="entry"/> (one of <see cref="Entries"/>) and verifies its CRC-32.</summary>
    /// <exception cref="InvalidInputException">The entry is too large, corrupt, or fails its CRC.</exception>
    public byte[] ReadEntry(ZipEntryInfo entry, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.UncompressedSize > maxBytes || entry.UncompressedSize > Array.MaxLength)
        {
            throw new InvalidInputException(
                $"Zip entry '{entry.Name}' holds {entry.UncompressedSize} bytes, more than the {Math.Min(maxBytes, Array.MaxLength)} accepted.");
        }

        if (entry.DataEnd > FileLength)
        {
            throw new InvalidInputException($"Zip entry '{entry.Name}' extends beyond the end of the file.");
        }

        var result = new byte[entry.UncompressedSize];
        if (entry.IsStored)
        {
            ReadExactly(_handle, entry.DataOffset, result, FileLength);
        }
        else
        {
            Inflate(entry, result);
        }

        uint crc = Crc32.Compute(result);
        if (crc != entry.Crc32)
        {
            throw new InvalidInputException(
                $"Zip entry '{entry.Name}' is corrupt: its CRC-32 is {crc:X8} but the archive records {entry.Crc32:X8}.");
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private void Inflate(ZipEntryInfo entry, byte[] result)
    {
        // The compressed size was bounded against the uncompressed size when the archive was opened.
        var compressed = new byte[entry.CompressedSize];
        ReadExactly(_handle, entry.DataOffset, compressed, FileLength);
        try
        {
            using var inflater = new DeflateStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            int filled = 0;
            while (filled < result.Length)
            {
                int read = inflater.Read(result, filled, result.Length - filled);
                if (read == 0)
                {
                    throw new InvalidInputException(
                        $"Zip entry '{entry.Name}' is corrupt: it inflates to {filled} bytes, not the {result.Length} recorded.");
                }

                filled += read;
            }

            Span<byte> probe = stackalloc byte[1];
            if (inflater.Read(probe) != 0)
            {
                throw new InvalidInputException(
                    $"Zip entry '{entry.Name}' is corrupt: it inflates to more than the {result.Length} bytes recorded.");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidInputException($"Zip entry '{entry.Name}' is corrupt: its deflate data is invalid.", ex);
        }
    }

    private static void ReadExactly(SafeFileHandle handle, long offset, Span<byte> buffer, long fileLength)
    {
        if (offset < 0 || offset > fileLength - buffer.Length)
        {
            throw new InvalidInputException("The zip archive is truncated: a record extends beyond the end of the file.");
        }

        while (buffer.Length > 0)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                throw new InvalidInputException("The zip archive is truncated: a record extends beyond the end of the file.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }

    /// <summary>One pass over the end records, the central directory and each local header.</summary>
    private sealed class Parser(SafeFileHandle handle, long length)
    {
        public List<ZipEntryInfo> ReadEntries()
        {
            if (length < EndOfCentralDirectoryLength)
            {
                throw new InvalidInputException("The file is not a zip archive: it is too short to hold an end of central directory record.");
            }

            long eocd = FindEndOfCentralDirectory();
            Span<byte> record = stackalloc byte[EndOfCentralDirectoryLength];
            Read(eocd, record);
            ushort disk = U16(record, 4);
            ushort cdDisk = U16(record, 6);
            long entriesOnDisk = U16(record, 8);
            long entryCount = U16(record, 10);
            long cdSize = U32(record, 12);
            long cdOffset = U32(record, 16);
            long cdLimit = eocd;

            if (eocd >= Zip64LocatorLength && U32At(eocd - Zip64LocatorLength) == Zip64LocatorSignature)
            {
                (entriesOnDisk, entryCount, cdSize, cdOffset, cdLimit, disk, cdDisk) = ReadZip64End(eocd - Zip64LocatorLength);
            }

            if (disk != 0 || cdDisk != 0 || entriesOnDisk != entryCount)
            {
                throw new InvalidInputException("The zip archive spans several disks, which is not supported.");
            }

            if (cdOffset < 0 || cdSize < 0 || cdOffset > cdLimit || cdSize > cdLimit - cdOffset)
            {
                throw new InvalidInputException(
                    $"The zip archive is corrupt: its central directory (offset {cdOffset}, {cdSize} bytes) is out of range of the file.");
            }

            if (cdSize > MaxCentralDirectoryBytes)
            {
                throw new InvalidInputException($"The zip archive's central directory ({cdSize} bytes) is larger than supported.");
            }

            if (entryCount < 0 || entryCount > cdSize / CentralHeaderLength)
            {
                throw new InvalidInputException(
                    $"The zip archive is corrupt: it claims {entryCount} entries but its central directory holds at most {cdSize / CentralHeaderLength}.");
            }

            var directory = new byte[cdSize];
            Read(cdOffset, directory);
            var entries = ReadCentralDirectory(directory, cdOffset, (int)entryCount);
            CheckNoOverlap(entries, cdOffset);
            return entries;
        }

        private long FindEndOfCentralDirectory()
        {
            // The record sits at the very end, followed only by a comment of up to 65535 bytes.
            int window = (int)Math.Min(length, EndOfCentralDirectoryLength + ushort.MaxValue);
            var tail = new byte[window];
            long tailStart = length - window;
            Read(tailStart, tail);
            for (int i = window - EndOfCentralDirectoryLength; i >= 0; i--)
            {
                if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndOfCentralDirectorySignature
                    && i + EndOfCentralDirectoryLength + U16(tail, i + 20) == window)
                {
                    return tailStart + i;
                }
            }

            throw new InvalidInputException("The file is not a zip archive (or is truncated): no end of central directory record was found.");
        }

        private (long OnDisk, long Count, long Size, long Offset, long Limit, ushort Disk, ushort CdDisk) ReadZip64End(long locator)
        {
            Span<byte> loc = stackalloc byte[Zip64LocatorLength];
            Read(locator, loc);
            long zip64End = ToLong(U64(loc, 8));
            if (U32(loc, 4) != 0 || U32(loc, 16) > 1)
            {
                throw new InvalidInputException("The zip archive spans several disks, which is not supported.");
            }

            if (zip64End > locator - Zip64EndLength)
            {
                throw new InvalidInputException("The zip archive is corrupt: its ZIP64 end of central directory record is out of range.");
            }

            Span<byte> end = stackalloc byte[Zip64EndLength];
            Read(zip64End, end);
            if (U32(end, 0) != Zip64EndSignature)
            {
                throw new InvalidInputException("The zip archive is corrupt: its ZIP64 end of central directory record is missing.");
            }

            return (ToLong(U64(end, 24)), ToLong(U64(end, 32)), ToLong(U64(end, 40)), ToLong(U64(end, 48)),
                zip64End, (ushort)Math.Min(U32(end, 16), ushort.MaxValue), (ushort)Math.Min(U32(end, 20), ushort.MaxValue));
        }

        private List<ZipEntryInfo> ReadCentralDirectory(byte[] directory, long cdOffset, int count)
        {
            var entries = new List<ZipEntryInfo>(count);
            var names = new HashSet<string>(StringComparer.Ordinal);
            int pos = 0;
            for (int i = 0; i < count; i++)
            {
                if (pos > directory.Length - CentralHeaderLength || U32(directory, pos) != CentralHeaderSignature)
                {
                    throw new InvalidInputException($"The zip archive is corrupt: central directory header {i} is missing or truncated.");
                }

                ushort flags = U16(directory, pos + 8);
                ushort method = U16(directory, pos + 10);
                uint crc = U32(directory, pos + 16);
                long compressed = U32(directory, pos + 20);
                long uncompressed = U32(directory, pos + 24);
                int nameLength = U16(directory, pos + 28);
                int extraLength = U16(directory, pos + 30);
                int commentLength = U16(directory, pos + 32);
                ushort startDisk = U16(directory, pos + 34);
                long localOffset = U32(directory, pos + 42);
                int headerLength = CentralHeaderLength + nameLength + extraLength + commentLength;
                if (headerLength > directory.Length - pos)
                {
                    throw new InvalidInputException($"The zip archive is corrupt: central directory header {i} is truncated.");
                }

                string name = DecodeName(directory.AsSpan(pos + CentralHeaderLength, nameLength), flags);
                var extra = directory.AsSpan(pos + CentralHeaderLength + nameLength, extraLength);
                ApplyCentralZip64(extra, name, ref uncompressed, ref compressed, ref localOffset, ref startDisk);

                CheckName(name);
                if (!names.Add(name))
                {
                    throw new InvalidInputException($"The zip archive holds two entries named '{name}'.");
                }

                CheckFlagsAndMethod(name, flags, method);
                if (startDisk != 0)
                {
                    throw new InvalidInputException("The zip archive spans several disks, which is not supported.");
                }

                if (method == MethodStored && compressed != uncompressed)
                {
                    throw new InvalidInputException(
                        $"Zip entry '{name}' is stored but its compressed size {compressed} differs from its size {uncompressed}.");
                }

                if (method == MethodDeflate && compressed > uncompressed + uncompressed / 4 + 1024)
                {
                    throw new InvalidInputException($"Zip entry '{name}' is corrupt: its compressed size is implausibly large.");
                }

                if (method == MethodDeflate && uncompressed / 1100 > compressed + 1)
                {
                    // Deflate cannot expand more than about 1032:1; a larger claim is a decompression bomb or corruption.
                    throw new InvalidInputException($"Zip entry '{name}' claims an impossible compression ratio.");
                }

                if (localOffset >= cdOffset)
                {
                    throw new InvalidInputException($"Zip entry '{name}' has a local header offset outside the archive's data.");
                }

                long central = cdOffset + pos;
                entries.Add(ReadLocalHeader(name, flags, method, crc, compressed, uncompressed, localOffset, central, cdOffset));
                pos += headerLength;
            }

            return entries;
        }

        private ZipEntryInfo ReadLocalHeader(
            string name, ushort flags, ushort method, uint crc, long compressed, long uncompressed, long localOffset, long central, long cdOffset)
        {
            if (localOffset > cdOffset - LocalHeaderLength)
            {
                throw new InvalidInputException($"Zip entry '{name}' has a local header that overlaps the central directory.");
            }

            Span<byte> header = stackalloc byte[LocalHeaderLength];
            Read(localOffset, header);
            if (U32(header, 0) != LocalHeaderSignature)
            {
                throw new InvalidInputException($"Zip entry '{name}' is corrupt: no local file header at offset {localOffset}.");
            }

            ushort localFlags = U16(header, 6);
            ushort localMethod = U16(header, 8);
            uint localCrc = U32(header, 14);
            long localCompressed = U32(header, 18);
            long localUncompressed = U32(header, 22);
            int nameLength = U16(header, 26);
            int extraLength = U16(header, 28);
            long dataOffset = localOffset + LocalHeaderLength + nameLength + extraLength;
            if (dataOffset > cdOffset || compressed > cdOffset - dataOffset)
            {
                throw new InvalidInputException($"Zip entry '{name}' has data beyond the end of the archive's data area.");
            }

            var nameAndExtra = new byte[nameLength + extraLength];
            Read(localOffset + LocalHeaderLength, nameAndExtra);
            string localName = DecodeName(nameAndExtra.AsSpan(0, nameLength), localFlags);
            if (localName != name)
            {
                throw new InvalidInputException($"Zip entry '{name}' is corrupt: its local header names '{localName}'.");
            }

            if (localMethod != method || (localFlags & 1) != (flags & 1))
            {
                throw new InvalidInputException($"Zip entry '{name}' is corrupt: its local and central headers disagree on how it is stored.");
            }

            bool localZip64 = ApplyLocalZip64(nameAndExtra.AsSpan(nameLength), ref localUncompressed, ref localCompressed);
            bool hasDescriptor = (flags & 0x08) != 0;
            bool deferred = hasDescriptor && localCrc == 0 && localCompressed == 0 && localUncompressed == 0;
            if (!deferred && (localCrc != crc || localCompressed != compressed || localUncompressed != uncompressed))
            {
                throw new InvalidInputException(
                    $"Zip entry '{name}' is corrupt: its local header (CRC {localCrc:X8}, {localCompressed}/{localUncompressed} bytes) " +
                    $"disagrees with the central directory (CRC {crc:X8}, {compressed}/{uncompressed} bytes).");
            }

            long? descriptorCrcOffset = null;
            int descriptorLength = 0;
            if (hasDescriptor)
            {
                (descriptorCrcOffset, descriptorLength) = ReadDataDescriptor(name, dataOffset + compressed, crc, compressed, uncompressed, localZip64, cdOffset);
            }

            return new ZipEntryInfo(
                name, method, localOffset, dataOffset, compressed, uncompressed, crc, central,
                LocalCrcFieldOffset: localOffset + 14,
                CentralCrcFieldOffset: central + 16,
                HasDataDescriptor: hasDescriptor,
                DataDescriptorCrcOffset: descriptorCrcOffset,
                LocalHeaderHasCrc: !deferred,
                DataDescriptorLength: descriptorLength);
        }

        private (long CrcOffset, int Length) ReadDataDescriptor(
            string name, long at, uint crc, long compressed, long uncompressed, bool zip64, long cdOffset)
        {
            // The signature is optional and the sizes are 4 or 8 bytes wide; accept whichever layout matches the
            // central directory, preferring the one the local header implies.
            Span<byte> buffer = stackalloc byte[24];
            int available = (int)Math.Min(buffer.Length, cdOffset - at);
            buffer = buffer[..available];
            Read(at, buffer);
            foreach (bool signed in new[] { true, false })
            {
                foreach (bool wide in zip64 ? new[] { true, false } : new[] { false, true })
                {
                    int start = signed ? 4 : 0;
                    int length = start + (wide ? 20 : 12);
                    if (length > available || (signed && U32(buffer, 0) != DataDescriptorSignature))
                    {
                        continue;
                    }

                    long c = wide ? ToLong(U64(buffer, start + 4)) : U32(buffer, start + 4);
                    long u = wide ? ToLong(U64(buffer, start + 12)) : U32(buffer, start + 8);
                    if (U32(buffer, start) == crc && c == compressed && u == uncompressed)
                    {
                        return (at + start, length);
                    }
                }
            }

            throw new InvalidInputException(
                $"Zip entry '{name}' is corrupt: its data descriptor is missing or disagrees with the central directory.");
        }

        private static void ApplyCentralZip64(
            ReadOnlySpan<byte> extra, string name, ref long uncompressed, ref long compressed, ref long localOffset, ref ushort disk)
        {
            bool needU = uncompressed == uint.MaxValue, needC = compressed == uint.MaxValue;
            bool needO = localOffset == uint.MaxValue, needD = disk == ushort.MaxValue;
            if (!(needU || needC || needO || needD))
            {
                return;
            }

            var field = FindExtra(extra, Zip64ExtraId)
                ?? throw new InvalidInputException($"Zip entry '{name}' is corrupt: its ZIP64 extra field is missing.");
            int p = 0;
            bool ok = TakeU64(field, ref p, needU, ref uncompressed) && TakeU64(field, ref p, needC, ref compressed)
                && TakeU64(field, ref p, needO, ref localOffset);
            if (ok && needD)
            {
                if (p + 4 > field.Length)
                {
                    ok = false;
                }
                else
                {
                    disk = (ushort)Math.Min(U32(field, p), ushort.MaxValue);
                }
            }

            if (!ok)
            {
                throw new InvalidInputException($"Zip entry '{name}' is corrupt: its ZIP64 extra field is too short.");
            }
        }

        private static bool ApplyLocalZip64(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed)
        {
            var field = FindExtra(extra, Zip64ExtraId);
            if (field is null)
            {
                return false;
            }

            // In a local header the ZIP64 field carries both sizes whenever it is present.
            int p = 0;
            long u = 0, c = 0;
            if (TakeU64(field, ref p, true, ref u) && TakeU64(field, ref p, true, ref c))
            {
                if (uncompressed == uint.MaxValue)
                {
                    uncompressed = u;
                }

                if (compressed == uint.MaxValue)
                {
                    compressed = c;
                }
            }

            return true;
        }

        private static bool TakeU64(byte[] field, ref int p, bool needed, ref long value)
        {
            if (!needed)
            {
                return true;
            }

            if (p + 8 > field.Length)
            {
                return false;
            }

            value = ToLong(U64(field, p));
            p += 8;
            return true;
        }

        private static byte[]? FindExtra(ReadOnlySpan<byte> extra, ushort id)
        {
            int p = 0;
            while (p + 4 <= extra.Length)
            {
                ushort fieldId = BinaryPrimitives.ReadUInt16LittleEndian(extra[p..]);
                int size = BinaryPrimitives.ReadUInt16LittleEndian(extra[(p + 2)..]);
                if (p + 4 + size > extra.Length)
                {
                    return null;
                }

                if (fieldId == id)
                {
                    return extra.Slice(p + 4, size).ToArray();
                }

                p += 4 + size;
            }

            return null;
        }

        private static string DecodeName(ReadOnlySpan<byte> bytes, ushort flags)
        {
            // Bit 11 means UTF-8; otherwise the name is CP437, of which only the ASCII subset is accepted here.
            try
            {
                var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
                string name = encoding.GetString(bytes);
                if ((flags & 0x800) == 0 && name.Any(ch => ch > 0x7F))
                {
                    throw new InvalidInputException("The zip archive has an entry name that is not ASCII or flagged UTF-8.");
                }

                return name;
            }
            catch (DecoderFallbackException ex)
            {
                throw new InvalidInputException("The zip archive has an entry name that is not valid UTF-8.", ex);
            }
        }

        private static void CheckName(string name)
        {
            bool traversal = name.Length == 0 || name[0] == '/' || name.Contains('\\') || name.Contains('\0')
                || (name.Length >= 2 && name[1] == ':') || name.Split('/').Any(segment => segment == "..");
            if (traversal)
            {
                throw new InvalidInputException($"Zip entry name '{name.Replace("\0", "\\0")}' points outside the archive.");
            }
        }

        private static void CheckFlagsAndMethod(string name, ushort flags, ushort method)
        {
            // Bit 0: encrypted; bit 6: strong encryption; bit 13: encrypted central directory.
            if ((flags & 0x2041) != 0)
            {
                throw new InvalidInputException($"Zip entry '{name}' is encrypted, which is not supported.");
            }

            if (method != MethodStored && method != MethodDeflate)
            {
                throw new InvalidInputException($"Zip entry '{name}' uses compression method {method}; only stored (0) and deflate (8) are supported.");
            }
        }

        private static void CheckNoOverlap(List<ZipEntryInfo> entries, long cdOffset)
        {
            var ordered = entries.OrderBy(e => e.LocalHeaderOffset).ToList();
            for (int i = 0; i < ordered.Count; i++)
            {
                long end = ordered[i].DataEnd + ordered[i].DataDescriptorLength;
                long next = i + 1 < ordered.Count ? ordered[i + 1].LocalHeaderOffset : cdOffset;
                if (end > next)
                {
                    string other = i + 1 < ordered.Count ? $"entry '{ordered[i + 1].Name}'" : "the central directory";
                    throw new InvalidInputException($"Zip entry '{ordered[i].Name}' overlaps {other}.");
                }
            }
        }

        private void Read(long offset, Span<byte> buffer) => ReadExactly(handle, offset, buffer, length);

        private uint U32At(long offset)
        {
            Span<byte> b = stackalloc byte[4];
            Read(offset, b);
            return U32(b, 0);
        }

        private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

        private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

        private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);

        private static long ToLong(ulong value) =>
            value <= long.MaxValue ? (long)value : throw new InvalidInputException("The zip archive records a size or offset that is out of range.");
    }
}
