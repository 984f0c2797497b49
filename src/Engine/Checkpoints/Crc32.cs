using System.Buffers.Binary;

namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// The IEEE CRC-32 that zip archives carry (polynomial 0xEDB88320, reflected, initial and final XOR 0xFFFFFFFF).
/// Written here because System.IO.Hashing is not a dependency of the Engine.
/// </summary>
public static class Crc32
{
    private const uint Polynomial = 0xEDB88320u;

    // Eight tables let the loop consume eight bytes per step (slicing-by-8); patching a large checkpoint
    // recomputes CRCs over hundreds of megabytes, where the byte-at-a-time loop is the bottleneck.
    private static readonly uint[][] Tables = BuildTables();

    /// <summary>CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Continues a CRC: <c>Append(Compute(a), b) == Compute(a + b)</c>. Pass 0 to start a new CRC.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        uint[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3];
        uint[] t4 = Tables[4], t5 = Tables[5], t6 = Tables[6], t7 = Tables[7];
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ c;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            c = t7[low & 0xFF] ^ t6[(low >> 8) & 0xFF] ^ t5[(low >> 16) & 0xFF] ^ t4[low >> 24]
                ^ t3[high & 0xFF] ^ t2[(high >> 8) & 0xFF] ^ t1[(high >> 16) & 0xFF] ^ t0[high >> 24];
            data = data[8..];
        }

        foreach (byte b in data)
        {
            c = t0[(c ^ b) & 0xFF] ^ (c >> 8);
        }

        return ~c;
    }

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        for (int k = 0; k < 8; k++)
        {
            tables[k] = new uint[256];
        }

        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            }

            tables[0][n] = c;
        }

        for (int n = 0; n < 256; n++)
        {
            for (int k = 1; k < 8; k++)
            {
                uint previous = tables[k - 1][n];
                tables[k][n] = tables[0][previous & 0xFF] ^ (previous >> 8);
            }
        }

        return tables;
    }
}
