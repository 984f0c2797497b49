using System.Buffers.Binary;
using WeightShare.Engine.Coding;

namespace WeightShare.Engine.Codecs.Paper;

/// <summary>
/// The paper codec's block of a .wsz file: the codebook, one canonical Huffman code length per value, and the coded
/// index of every shared weight. Laid out exactly as fields 12 to 16 of .wsz version 1 (docs/wsz-format.md), so a
/// version 1 file is a version 1 header, this block and the residual.
/// </summary>
/// <param name="Codebook">The shared values.</param>
/// <param name="CodeLengths">Canonical Huffman code length per value (0 = unused).</param>
/// <param name="IndexStream">The coded indices, MSB-first.</param>
public sealed record PaperBlock(float[] Codebook, int[] CodeLengths, byte[] IndexStream)
{
    /// <summary>The most values a codebook may hold (indices are 16-bit).</summary>
    public const int MaxCodebook = 65535;

    /// <summary>Bytes the block takes: u32 m, m x f32, m x u8, i64 B, B bytes.</summary>
    public long Length => 4 + (5L * Codebook.Length) + 8 + IndexStream.LongLength;

    /// <summary>The block's bytes.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)Codebook.Length);
        var at = 4;
        foreach (var value in Codebook)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[at..], value);
            at += 4;
        }
        foreach (var length in CodeLengths)
        {
            span[at++] = (byte)length;
        }
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], IndexStream.LongLength);
        at += 8;
        IndexStream.CopyTo(span[at..]);
        return bytes;
    }

    /// <summary>
    /// How many bytes at the start of <paramref name="data"/> a block takes, reading only its two counts: what a
    /// version 1 reader needs to find the residual behind it.
    /// </summary>
    /// <exception cref="InvalidInputException">A count runs past the data.</exception>
    public static long MeasureAt(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
        {
            throw new InvalidInputException("The .wsz file is truncated: it ends inside the codebook count.");
        }
        long values = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var lengthAt = 4 + (5 * values);
        if (lengthAt + 8 > data.Length)
        {
            throw new InvalidInputException($"The .wsz file declares {values} codebook values, more than its remaining {data.Length} bytes can hold.");
        }
        var streamBytes = BinaryPrimitives.ReadInt64LittleEndian(data[(int)lengthAt..]);
        if (streamBytes < 0 || streamBytes > data.Length - lengthAt - 8)
        {
            throw new InvalidInputException($"The .wsz file declares an index stream of {streamBytes} bytes but only {data.Length - lengthAt - 8} remain.");
        }
        return lengthAt + 8 + streamBytes;
    }

    /// <summary>Reads and checks a block that must code <paramref name="symbolCount"/> indices.</summary>
    /// <exception cref="InvalidInputException">The block is truncated, has trailing bytes, or its code cannot be right.</exception>
    public static PaperBlock Parse(ReadOnlySpan<byte> block, long symbolCount)
    {
        var length = MeasureAt(block);
        if (length != block.Length)
        {
            throw new InvalidInputException($"The paper codec's block is {block.Length} bytes but its counts make {length}.");
        }
        var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(block);
        if (count is 0 or > MaxCodebook)
        {
            throw new InvalidInputException($"The .wsz file is inconsistent: the codebook has {count} values (need 1..{MaxCodebook}).");
        }
        var codebook = new float[count];
        var lengths = new int[count];
        var at = 4;
        for (var v = 0; v < count; v++, at += 4)
        {
            codebook[v] = BinaryPrimitives.ReadSingleLittleEndian(block[at..]);
        }
        for (var v = 0; v < count; v++)
        {
            lengths[v] = block[at++];
        }
        var stream = block[(at + 8)..].ToArray();
        var problem = CanonicalHuffman.Validate(lengths);
        if (problem is not null)
        {
            throw new InvalidInputException($"The .wsz file is inconsistent: the Huffman code lengths are invalid: {problem}.");
        }
        if (symbolCount > stream.LongLength * 8)
        {
            throw new InvalidInputException($"The .wsz file is inconsistent: the index stream of {stream.Length} bytes cannot hold {symbolCount} indices.");
        }
        return new PaperBlock(codebook, lengths, stream);
    }

    /// <summary>A reader of the <paramref name="count"/> weights the indices code, each its codebook value.</summary>
    public SharedWeightReader OpenReader(long count) => new Reader(this, count);

    private sealed class Reader(PaperBlock block, long count) : SharedWeightReader(count)
    {
        private readonly HuffmanReader _indices = new(new HuffmanDecoder(block.CodeLengths), block.IndexStream);
        private readonly ushort[] _chunk = new ushort[(int)Math.Min(count, ChunkLength)];

        protected override void ReadCore(Span<float> values)
        {
            for (var at = 0; at < values.Length; at += _chunk.Length)
            {
                var length = Math.Min(values.Length - at, _chunk.Length);
                var indices = _chunk.AsSpan(0, length);
                _indices.Read(indices);
                var output = values.Slice(at, length);
                for (var i = 0; i < length; i++)
                {
                    output[i] = block.Codebook[indices[i]];
                }
            }
        }

        protected override void FinishCore() => _indices.Finish();
    }
}
