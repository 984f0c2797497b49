using System.Buffers.Binary;
using System.Text;

namespace WeightShare.Engine.Coding;

/// <summary>Reads a .wsz file, trusting nothing in it: every length and count is checked against the real file.</summary>
public static class WszReader
{
    /// <summary>The largest .wsz file accepted (the whole file is held in memory).</summary>
    public const long MaxFileBytes = int.MaxValue;

    /// <summary>Reads and checks a .wsz file.</summary>
    /// <exception cref="InvalidInputException">The file is not a .wsz file, is truncated, or is inconsistent.</exception>
    public static WszContent Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Parse(ReadAll(input));
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
        if (version != WszLayout.Version)
        {
            throw new InvalidInputException($"This .wsz file has version {version}; only version {WszLayout.Version} is supported.");
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
        int segmentCount = cursor.Count("segment", minRecordBytes: 2 + 8 + 8 + 1);
        var segments = new List<WszSegment>(segmentCount);
        for (int i = 0; i < segmentCount; i++)
        {
            string name = cursor.String("tensor name", WszLayout.MaxTensorNameBytes);
            long offset = cursor.Int64("segment offset");
            long elements = cursor.Int64("segment element count");
            byte code = cursor.Byte("segment dtype");
            var dtype = WszLayout.DTypeOf(code)
                ?? throw new InvalidInputException($"Segment '{name}' has unknown element type code {code}.");
            segments.Add(new WszSegment(name, offset, elements, dtype));
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

        int codebookCount = cursor.Count("codebook value", minRecordBytes: 5);
        var codebook = new float[codebookCount];
        for (int v = 0; v < codebookCount; v++)
        {
            codebook[v] = BinaryPrimitives.ReadSingleLittleEndian(cursor.Bytes(4, "codebook"));
        }

        var codeLengths = new int[codebookCount];
        for (int v = 0; v < codebookCount; v++)
        {
            codeLengths[v] = cursor.Byte("code length");
        }

        byte[] indexStream = cursor.Bytes(cursor.Length("index stream"), "index stream");
        long residualLength = cursor.Int64("residual length");
        byte[] residual = cursor.Bytes(cursor.Length("residual"), "residual");
        if (cursor.Remaining != 0)
        {
            throw new InvalidInputException($"The .wsz file has {cursor.Remaining} unexpected bytes after its residual.");
        }

        var content = new WszContent(format, fileName, reconstructedLength, sha, segments, fixups, codebook, codeLengths, indexStream, residualLength, residual);
        var problem = WszLayout.Problem(content);
        if (problem is not null)
        {
            throw new InvalidInputException($"The .wsz file is inconsistent: {problem}.");
        }

        return content;
    }

    private sealed class Cursor(byte[] file)
    {
        private int _at;

        public int Remaining => file.Length - _at;

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
