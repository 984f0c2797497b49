using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// Writes a copy of a checkpoint with some byte ranges replaced in place (same length), so every structure the
/// framework relies on (pickles, code, alignment) is kept byte for byte. For zip checkpoints the CRC-32 of each
/// touched entry is recomputed and written wherever the archive records it.
/// </summary>
public static class CheckpointPatcher
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Streams <paramref name="sourcePath"/> to <paramref name="output"/> with <paramref name="patches"/> applied.
    /// </summary>
    /// <param name="sourcePath">The checkpoint to copy; it is read, never written.</param>
    /// <param name="patches">Non-overlapping replacements, in any order.</param>
    /// <param name="zipEntries">
    /// The entries <see cref="ZipContainer.Open"/> found in <paramref name="sourcePath"/>, or null for a flat file
    /// such as safetensors. When given, each patch must lie inside one stored entry's data.
    /// </param>
    /// <param name="output">Receives exactly as many bytes as the source holds; need not be seekable.</param>
    /// <exception cref="InvalidInputException">
    /// A patch overlaps another, leaves the file, or (for zips) leaves a stored entry's data; or a touched entry's
    /// current CRC does not match the archive (the entries belong to another file, or it is corrupt).
    /// </exception>
    public static void Write(string sourcePath, IReadOnlyList<BytePatch> patches, IReadOnlyList<ZipEntryInfo>? zipEntries, Stream output)
    {
        ArgumentNullException.ThrowIfNull(patches);
        ArgumentNullException.ThrowIfNull(output);
        using var handle = File.OpenHandle(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle);
        var edits = SortAndCheck(patches.Where(p => p.Bytes.Length > 0), length);
        if (zipEntries is not null)
        {
            edits = SortAndCheck(edits.Concat(CrcEdits(handle, length, edits, zipEntries)), length);
        }

        var buffer = new byte[(int)Math.Min(BufferSize, Math.Max(length, 1))];
        for (long position = 0; position < length; position += buffer.Length)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - position));
            Read(handle, position, chunk);
            Apply(edits, position, chunk);
            output.Write(chunk);
        }
    }

    private static List<BytePatch> SortAndCheck(IEnumerable<BytePatch> patches, long length)
    {
        var sorted = patches.OrderBy(p => p.FileOffset).ToList();
        for (int i = 0; i < sorted.Count; i++)
        {
            var patch = sorted[i];
            if (patch.FileOffset < 0 || patch.FileOffset > length - patch.Bytes.Length)
            {
                throw new InvalidInputException(
                    $"A patch of {patch.Bytes.Length} bytes at offset {patch.FileOffset} lies outside the {length}-byte file.");
            }

            if (i > 0 && patch.FileOffset < sorted[i - 1].End)
            {
                throw new InvalidInputException(
                    $"The patch at offset {patch.FileOffset} overlaps the patch at offset {sorted[i - 1].FileOffset}.");
            }
        }

        return sorted;
    }

    private static List<BytePatch> CrcEdits(SafeFileHandle handle, long length, List<BytePatch> patches, IReadOnlyList<ZipEntryInfo> entries)
    {
        var byData = entries.OrderBy(e => e.DataOffset).ToList();
        var touched = new HashSet<ZipEntryInfo>(ReferenceEqualityComparer.Instance);
        foreach (var patch in patches)
        {
            var entry = Containing(byData, patch);
            if (entry is null || !entry.IsStored)
            {
                string where = entry is null ? "outside every entry's data" : $"inside compressed entry '{entry.Name}'";
                throw new InvalidInputException(
                    $"The patch at offset {patch.FileOffset} ({patch.Bytes.Length} bytes) lies {where}; only stored entries can be patched.");
            }

            touched.Add(entry);
        }

        var edits = new List<BytePatch>();
        foreach (var entry in touched)
        {
            var (before, after) = EntryCrcs(handle, length, entry, patches);
            if (before != entry.Crc32)
            {
                throw new InvalidInputException(
                    $"Zip entry '{entry.Name}' does not match its recorded CRC-32; the entry list belongs to another file or the file is corrupt.");
            }

            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(crc, after);
            edits.Add(new BytePatch(entry.CentralCrcFieldOffset, crc));
            if (entry.LocalHeaderHasCrc)
            {
                edits.Add(new BytePatch(entry.LocalCrcFieldOffset, crc));
            }

            if (entry.DataDescriptorCrcOffset is { } descriptor)
            {
                edits.Add(new BytePatch(descriptor, crc));
            }
        }

        return edits;
    }

    private static ZipEntryInfo? Containing(List<ZipEntryInfo> byData, BytePatch patch)
    {
        int lo = 0, hi = byData.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (byData[mid].DataOffset <= patch.FileOffset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && patch.End <= byData[found].DataEnd ? byData[found] : null;
    }

    private static (uint Before, uint After) EntryCrcs(SafeFileHandle handle, long length, ZipEntryInfo entry, List<BytePatch> patches)
    {
        if (entry.DataOffset < 0 || entry.DataEnd > length)
        {
            throw new InvalidInputException($"Zip entry '{entry.Name}' lies beyond the end of the file.");
        }

        var buffer = new byte[(int)Math.Min(BufferSize, Math.Max(entry.CompressedSize, 1))];
        uint before = 0, after = 0;
        for (long position = entry.DataOffset; position < entry.DataEnd; position += buffer.Length)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, entry.DataEnd - position));
            Read(handle, position, chunk);
            before = Crc32.Append(before, chunk);
            Apply(patches, position, chunk);
            after = Crc32.Append(after, chunk);
        }

        return (before, after);
    }

    private static void Apply(List<BytePatch> sorted, long chunkStart, Span<byte> chunk)
    {
        long chunkEnd = chunkStart + chunk.Length;

        // Sorted, non-overlapping patches have increasing ends too, so binary search finds the first one that
        // reaches into this chunk.
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid].End <= chunkStart)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        for (int i = lo; i < sorted.Count && sorted[i].FileOffset < chunkEnd; i++)
        {
            var patch = sorted[i];
            long from = Math.Max(patch.FileOffset, chunkStart);
            long to = Math.Min(patch.End, chunkEnd);
            patch.Bytes.Span[(int)(from - patch.FileOffset)..(int)(to - patch.FileOffset)]
                .CopyTo(chunk[(int)(from - chunkStart)..]);
        }
    }

    private static void Read(SafeFileHandle handle, long offset, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                throw new InvalidInputException("The checkpoint file ended early while it was being copied.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
