using System.Buffers.Binary;
using System.Text;
using WeightShare.Engine.Checkpoints;

namespace WeightShare.Engine.Tests.Checkpoints;

/// <summary>One entry for <see cref="ZipTestArchive"/>, with knobs to make it hostile.</summary>
internal sealed record ZipTestEntry(string Name, byte[] Data)
{
    public ushort Method { get; init; }
    public ushort Flags { get; init; } = 0x800;
    public long? SizeOverride { get; init; }
    public long? LocalSizeOverride { get; init; }
    public bool Zip64 { get; init; }
}

/// <summary>
/// Writes small zip archives byte by byte (stored entries, no data descriptor), so tests can build inputs
/// that no well-behaved library would produce.
/// </summary>
internal static class ZipTestArchive
{
    public static byte[] Build(IEnumerable<ZipTestEntry> entries, bool zip64End = false)
    {
        using var file = new MemoryStream();
        using var central = new MemoryStream();
        int count = 0;
        foreach (var entry in entries)
        {
            count++;
            long offset = file.Position;
            byte[] name = Encoding.UTF8.GetBytes(entry.Name);
            uint crc = Crc32.Compute(entry.Data);
            long size = entry.SizeOverride ?? entry.Data.Length;
            long localSize = entry.LocalSizeOverride ?? size;
            byte[] localExtra = entry.Zip64 ? Extra(localSize, localSize) : [];
            uint local32 = entry.Zip64 ? uint.MaxValue : (uint)localSize;
            uint central32 = entry.Zip64 ? uint.MaxValue : (uint)size;

            var w = new BinaryWriter(file);
            w.Write(0x04034b50u); w.Write((ushort)45); w.Write(entry.Flags); w.Write(entry.Method);
            w.Write(0u); w.Write(crc); w.Write(local32); w.Write(local32);
            w.Write((ushort)name.Length); w.Write((ushort)localExtra.Length); w.Write(name); w.Write(localExtra);
            w.Write(entry.Data);

            byte[] centralExtra = entry.Zip64 ? Extra(size, size, offset) : [];
            var c = new BinaryWriter(central);
            c.Write(0x02014b50u); c.Write((ushort)45); c.Write((ushort)45); c.Write(entry.Flags); c.Write(entry.Method);
            c.Write(0u); c.Write(crc); c.Write(central32); c.Write(central32);
            c.Write((ushort)name.Length); c.Write((ushort)centralExtra.Length); c.Write((ushort)0);
            c.Write((ushort)0); c.Write((ushort)0); c.Write(0u);
            c.Write(entry.Zip64 ? uint.MaxValue : (uint)offset);
            c.Write(name); c.Write(centralExtra);
        }

        long cdOffset = file.Position;
        central.Position = 0;
        central.CopyTo(file);
        long cdSize = central.Length;
        var end = new BinaryWriter(file);
        if (zip64End)
        {
            long zip64Offset = file.Position;
            end.Write(0x06064b50u); end.Write(44L); end.Write((ushort)45); end.Write((ushort)45); end.Write(0u); end.Write(0u);
            end.Write((long)count); end.Write((long)count); end.Write(cdSize); end.Write(cdOffset);
            end.Write(0x07064b50u); end.Write(0u); end.Write(zip64Offset); end.Write(1u);
        }

        end.Write(0x06054b50u); end.Write((ushort)0); end.Write((ushort)0);
        end.Write(zip64End ? ushort.MaxValue : (ushort)count); end.Write(zip64End ? ushort.MaxValue : (ushort)count);
        end.Write(zip64End ? uint.MaxValue : (uint)cdSize); end.Write(zip64End ? uint.MaxValue : (uint)cdOffset);
        end.Write((ushort)0);
        return file.ToArray();
    }

    public static string WriteTemp(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"ws-zip-{Guid.NewGuid():N}.zip");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Extra(params long[] values)
    {
        var extra = new byte[4 + 8 * values.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(extra, 0x0001);
        BinaryPrimitives.WriteUInt16LittleEndian(extra.AsSpan(2), (ushort)(8 * values.Length));
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(extra.AsSpan(4 + 8 * i), values[i]);
        }

        return extra;
    }
}
