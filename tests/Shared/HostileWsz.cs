using System.IO.Compression;
using System.Security.Cryptography;
using WeightShare.Engine.Tensors;
using WeightShare.Engine.Wsz;

namespace WeightShare.Tests.Support;

/// <summary>
/// Valid-looking .wsz files that claim far more than they hold, as an attacker would send them: a few bytes that
/// decode to millions of weights, and a residual that inflates far beyond what the header declares.
/// </summary>
public static class HostileWsz
{
    /// <summary>The value every weight of <see cref="Weights"/> decodes to.</summary>
    public const float Value = 0.5f;

    /// <summary>
    /// A version 2 file of under 200 bytes holding one float32 segment of <paramref name="elements"/> weights, all
    /// <see cref="Value"/>, coded by the scalar codec in zero bits each (a rANS table with one symbol), and an empty
    /// residual. With <paramref name="trueSha256"/> the header records the rebuilt file's real SHA-256, so the file
    /// decodes; otherwise zeros, so only the final check can refuse it.
    /// </summary>
    public static byte[] Weights(long elements, bool trueSha256)
    {
        var content = new WszContent(2, "safetensors", "weights.bin", elements * 4, trueSha256 ? Sha256OfWeights(elements) : new byte[32],
            [new WszSegment("w", 0, elements, TensorDType.Float32)], [], "scalar", OneSymbolBlock(), 0, Deflate(0));
        return Write(content);
    }

    /// <summary>
    /// A version 2 file whose residual inflates to <paramref name="inflatesTo"/> zero bytes while its header claims a
    /// file of <paramref name="claimedLength"/> bytes (one float32 weight at the start, the rest residual).
    /// </summary>
    public static byte[] Residual(long inflatesTo, long claimedLength) =>
        Write(new WszContent(2, "safetensors", "residual.bin", claimedLength, new byte[32],
            [new WszSegment("w", 0, 1, TensorDType.Float32)], [], "scalar", OneSymbolBlock(), claimedLength - 4, Deflate(inflatesTo)));

    // u32 one value, f32 the value, rANS coder, one table of 8-bit precision holding one symbol of frequency 256, and
    // for the one segment a 4-byte stream holding only the final state: any number of symbols in zero bits.
    private static byte[] OneSymbolBlock()
    {
        using var block = new MemoryStream();
        block.Write(BitConverter.GetBytes(1u));
        block.Write(BitConverter.GetBytes(Value));
        block.Write([0, 1, 0]);
        block.Write([8, 1, 0, 0xFF, 0x01]);
        block.Write([0, 4, 0x00, 0x80, 0x00, 0x00]);
        return block.ToArray();
    }

    // Deflating 2 GB of zeros takes seconds; tests that send several bombs share one.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<long, byte[]> Deflated = new();

    private static byte[] Deflate(long zeros) => Deflated.GetOrAdd(zeros, DeflateZeros);

    private static byte[] DeflateZeros(long zeros)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = new byte[1 << 20];
            for (var left = zeros; left > 0; left -= chunk.Length)
            {
                deflate.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
            }
        }
        return output.ToArray();
    }

    private static byte[] Sha256OfWeights(long elements)
    {
        var chunk = new byte[1 << 16];
        for (var i = 0; i < chunk.Length; i += 4)
        {
            BitConverter.TryWriteBytes(chunk.AsSpan(i), Value);
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var left = elements * 4; left > 0; left -= chunk.Length)
        {
            sha.AppendData(chunk, 0, (int)Math.Min(left, chunk.Length));
        }
        return sha.GetHashAndReset();
    }

    private static byte[] Write(WszContent content)
    {
        using var file = new MemoryStream();
        WszWriter.Write(file, content);
        return file.ToArray();
    }
}
