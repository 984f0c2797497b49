using System.Buffers.Binary;
using System.Text;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Paper;

namespace WeightShare.Engine.Wsz;

/// <summary>Reads a .wsz file of version 1 or 2, trusting nothing in it: every length and count is checked against the real file.</summary>
public static class WszReader
{
    /// <summary>The largest .wsz file accepted (the whole file is held in memory).</summary>
    public const long MaxFileBytes = int.MaxValue;

    /// <summary>Reads and checks a .wsz file; the codec named in it checks its own block.</summary>
    /// <param name="input">The file.</param>
    /// <param name="codecs">The codecs this host knows; <see cref="CodecRegistry.Default"/> when null.</param>
    /// <exception cref="UnsupportedFormatException">The file is not a .wsz file, or names a codec this host does not know.</exception>
    /// <exception cref="InvalidInputException">The file is truncated or inconsistent.</exception>
    public static WszContent Read(Stream input, CodecRegistry? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var content = Parse(ReadAll(input));
        CodecFor(content, codecs).Validate(content.CodecBlock, content.Segments);
        return content;
    }

    /// <summary>A fresh instance of the codec <paramref name="content"/> names.</summary>
    /// <exception cref="UnsupportedFormatException">This host knows no codec of that id.</exception>
    public static WeightCodec CodecFor(WszContent content, CodecRegistry? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        codecs ??= CodecRegistry.Default;
        return codecs.Contains(content.CodecId)
            ? codecs.Create(content.CodecId)
            : throw new UnsupportedFormatException(
                $"This .wsz file was written by the codec '{content.CodecId}', which this version does not know (it knows {string.Join(", ", codecs.Ids)}).");
    }

    private static byte[] ReadAll(Stream input)
    {
        if (input.CanSeek)
        {
            long remaining = input.Length - input.Position;
            if (remaining > MaxFileBytes)
            {
                throw new InvalidInputException($"The .wsz file is larger than {MaxFileBytes} bytes.");
            }

            var bytes = new byte[remaining];
            input.ReadExactly(bytes);
            return bytes;
        }

        using var copy = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = input.Read(chunk)) > 0)
        {
            if (copy.Length + read > MaxFileBytes)
            {
                throw new InvalidInputException($"The .wsz file is larger than {MaxFileBytes} bytes.");
            }

            copy.Write(chunk, 0, read);
        }

        return copy.ToArray();
    }

    private static WszContent Parse(byte[] file)
    {
        var cursor = new Cursor(file);
        if (file.Length < 4 || !file.AsSpan(0, 4).SequenceEqual(WszLayout.Magic))
        {
            throw new UnsupportedFormatException("This is not a .wsz file: it does not start with \"WSZ1\".");
        }

        cursor.Skip(4);
        ushort version = cursor.UInt16("version");
        if (version is not (1 or 2))
        {
            throw new InvalidInputException($"This .wsz file has version {version}; this version reads versions 1 and 2.");
        }

        if (cursor.UInt16("flags") != 0)
        {
            throw new InvalidInputException("This .wsz file sets flags this version does not know.");
        }

        string format = cursor.String("format tag", WszLayout.MaxFormatBytes);
        string fileName = cursor.String("original file name", WszLayout.MaxFileNameBytes);
        long reconstructedLength = cursor.Int64("reconstructed length");
        byte[] sha = cursor.Bytes(32, "SHA-256");

        // Each count is bounded by the bytes left before anything is allocated for it.
        int segmentCount = cursor.Count("segment", minRecordBytes: version == 1 ? 2 + 8 + 8 + 1 : 2 + 8 + 1 + 1);
        var segments = new List<WszSegment>(segmentCount);
        for (int i = 0; i < segmentCount; i++)
        {
            segments.Add(version == 1 ? SegmentV1(cursor) : SegmentV2(cursor));
        }

        int fixupCount = cursor.Count("CRC fix-up", minRecordBytes: 8 + 8 + 4);
        var fixups = new List<WszCrcFixup>(fixupCount);
        for (int i = 0; i < fixupCount; i++)
        {
            long dataOffset = cursor.Int64("CRC data offset");
            long length = cursor.Int64("CRC data length");
            int fieldCount = cursor.Count("CRC field", minRecordBytes: 8);
            var fields = new long[fieldCount];
            for (int f = 0; f < fieldCount; f++)
            {
                fields[f] = cursor.Int64("CRC field offset");
            }

            fixups.Add(new WszCrcFixup(dataOffset, length, fields));
        }

        string codec;
        byte[] block;
        var residualCoding = WszResidualCoding.Deflate;
        if (version == 1)
        {
            codec = WszLayout.Version1Codec;
            block = cursor.Bytes(checked((int)PaperBlock.MeasureAt(cursor.Rest)), "codebook and index stream");
        }
        else
        {
            codec = cursor.String("codec id", WszLayout.MaxCodecIdBytes);
            block = cursor.Bytes(cursor.Length("codec block"), "codec block");
            byte coding = cursor.Byte("residual coding");
            residualCoding = (WszResidualCoding)coding;
            if (!Enum.IsDefined(residualCoding))
            {
                throw new InvalidInputException($"This .wsz file codes its residual with method {coding}, which this version does not know.");
            }
        }

        long residualLength = cursor.Int64("residual length");
        byte[] residual = cursor.Bytes(cursor.Length("residual"), "residual");
        if (cursor.Remaining != 0)
        {
            throw new InvalidInputException($"The .wsz file has {cursor.Remaining} unexpected bytes after its residual.");
        }

        var content = new WszContent(version, format, fileName, reconstructedLength, sha, segments, fixups, codec, block, residualLength, residual)
        {
            ResidualCoding = residualCoding,
        };
        var problem = WszLayout.Problem(content);
        if (problem is not null)
        {
            throw new InvalidInputException($"The .wsz file is inconsistent: {problem}.");
        }

        return content;
    }

    private static WszSegment SegmentV1(Cursor cursor)
    {
        string name = cursor.String("tensor name", WszLayout.MaxTensorNameBytes);
        long offset = cursor.Int64("segment offset");
        long elements = cursor.Int64("segment element count");
        return new WszSegment(name, offset, elements, DType(cursor, name));
    }

    private static WszSegment SegmentV2(Cursor cursor)
    {
        string name = cursor.String("tensor name", WszLayout.MaxTensorNameBytes);
        long offset = cursor.Int64("segment offset");
        var dtype = DType(cursor, name);
        int rank = cursor.Byte("segment rank");
        if (rank > WszLayout.MaxRank)
        {
            throw new InvalidInputException($"Segment '{name}' has {rank} dimensions; at most {WszLayout.MaxRank} are allowed.");
        }

        var shape = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            shape[d] = cursor.Int64("segment dimension");
        }

        long elements = WszLayout.ShapeProduct(shape);
        if (elements < 0)
        {
            throw new InvalidInputException($"Segment '{name}' has the impossible shape [{string.Join(", ", shape)}].");
        }

        return new WszSegment(name, offset, elements, dtype) { Shape = shape };
    }

    private static Tensors.TensorDType DType(Cursor cursor, string name)
    {
        byte code = cursor.Byte("segment dtype");
        return WszLayout.DTypeOf(code) ?? throw new InvalidInputException($"Segment '{name}' has unknown element type code {code}.");
    }

    private sealed class Cursor(byte[] file)
    {
        private int _at;

        public int Remaining => file.Length - _at;

        public ReadOnlySpan<byte> Rest => file.AsSpan(_at);

        public void Skip(int count) => Bytes(count, "header");

        public byte Byte(string what) => Bytes(1, what)[0];

        public ushort UInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2, what));

        public long Int64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8, what));

        public int Count(string what, int minRecordBytes)
        {
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, what + " count"));
            if (count > (uint)(Remaining / minRecordBytes))
            {
                throw new InvalidInputException($"The .wsz file declares {count} {what} entries, more than its remaining {Remaining} bytes can hold.");
            }

            return (int)count;
        }

        public int Length(string what)
        {
            long length = Int64(what + " length");
            if (length < 0 || length > Remaining)
            {
                throw new InvalidInputException($"The .wsz file declares a {what} of {length} bytes but only {Remaining} remain.");
            }

            return (int)length;
        }

        public string String(string what, int maxBytes)
        {
            int length = UInt16(what + " length");
            if (length > maxBytes)
            {
                throw new InvalidInputException($"The {what} in the .wsz file is {length} bytes, longer than the {maxBytes} allowed.");
            }

            try
            {
                return new UTF8Encoding(false, true).GetString(Bytes(length, what));
            }
            catch (DecoderFallbackException ex)
            {
                throw new InvalidInputException($"The {what} in the .wsz file is not valid UTF-8.", ex);
            }
        }

        public byte[] Bytes(int count, string what)
        {
            if (count > Remaining)
            {
                throw new InvalidInputException($"The .wsz file is truncated: it ends inside the {what}.");
            }

            var bytes = file.AsSpan(_at, count).ToArray();
            _at += count;
            return bytes;
        }
    }
}
