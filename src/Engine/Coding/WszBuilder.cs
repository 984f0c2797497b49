using System.IO.Compression;
using System.Security.Cryptography;

namespace WeightShare.Engine.Coding;

/// <summary>Makes <see cref="WszContent"/> from an original checkpoint file and the shared weights' codebook indices.</summary>
public static class WszBuilder
{
    /// <summary>
    /// Builds the .wsz content: Huffman-codes <paramref name="indices"/> (one per segment element, segment by
    /// segment), deflates the bytes outside the segments, and records the SHA-256 of the file decoding will produce.
    /// </summary>
    /// <param name="original">The original checkpoint file.</param>
    /// <param name="format">The checkpoint format tag ("torchscript", "pytorch", "safetensors").</param>
    /// <param name="originalFileName">The file's name, without folders.</param>
    /// <param name="segments">The shared tensors' places, ascending and non-overlapping.</param>
    /// <param name="crcFixups">Checksums that cover spliced bytes.</param>
    /// <param name="codebook">The shared values.</param>
    /// <param name="indices">The codebook index of every segment element.</param>
    /// <param name="maxCodeLength">Longest Huffman code allowed.</param>
    /// <exception cref="ArgumentException">The segments, fix-ups or indices do not fit the file or codebook.</exception>
    public static WszContent Build(
        byte[] original,
        string format,
        string originalFileName,
        IReadOnlyList<WszSegment> segments,
        IReadOnlyList<WszCrcFixup> crcFixups,
        float[] codebook,
        ReadOnlySpan<ushort> indices,
        int maxCodeLength = 24)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(crcFixups);
        ArgumentNullException.ThrowIfNull(codebook);
        long symbolCount = segments.Sum(s => s.ElementCount);
        if (indices.Length != symbolCount)
        {
            throw new ArgumentException($"The segments hold {symbolCount} elements but {indices.Length} indices were given.", nameof(indices));
        }

        var frequencies = new long[codebook.Length];
        foreach (ushort index in indices)
        {
            if (index >= codebook.Length)
            {
                throw new ArgumentException($"Index {index} is outside the codebook of {codebook.Length} values.", nameof(indices));
            }

            frequencies[index]++;
        }

        // An empty index list still needs a valid code; give value 0 a length so the lengths form a prefix code.
        if (indices.IsEmpty && codebook.Length > 0)
        {
            frequencies[0] = 1;
        }

        var lengths = codebook.Length == 0 ? [] : CanonicalHuffman.CodeLengths(frequencies, maxCodeLength);
        var stream = CanonicalHuffman.Encode(indices, lengths);
        var (residual, residualLength) = Deflate(original, segments);

        var rebuilt = (byte[])original.Clone();
        var placeholder = new WszContent(format, originalFileName, original.LongLength, new byte[32], segments, crcFixups, codebook, lengths, stream, residualLength, residual);
        var problem = WszLayout.Problem(placeholder);
        if (problem is not null)
        {
            throw new ArgumentException($"The .wsz content would be inconsistent: {problem}.", nameof(segments));
        }

        WszLayout.Splice(rebuilt, segments, codebook, indices);
        WszLayout.ApplyCrcFixups(rebuilt, crcFixups);
        return placeholder with { ReconstructedSha256 = SHA256.HashData(rebuilt) };
    }

    private static (byte[] Deflated, long Length) Deflate(byte[] original, IReadOnlyList<WszSegment> segments)
    {
        using var buffer = new MemoryStream();
        long length = 0;
        using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            long at = 0;
            foreach (var segment in segments)
            {
                if (segment.FileOffset < at || segment.FileOffset > original.LongLength)
                {
                    throw new ArgumentException($"Segment '{segment.TensorName}' at {segment.FileOffset} is out of order or outside the file.", nameof(segments));
                }

                deflate.Write(original, (int)at, (int)(segment.FileOffset - at));
                length += segment.FileOffset - at;
                at = Math.Min(original.LongLength, segment.FileOffset + segment.ByteLength);
            }

            deflate.Write(original, (int)at, (int)(original.LongLength - at));
            length += original.LongLength - at;
        }

        return (buffer.ToArray(), length);
    }
}
