using System.Buffers.Binary;
using System.Security.Cryptography;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Coding;

/// <summary>Constants and checks shared by the .wsz writer, reader, builder and decoder.</summary>
internal static class WszLayout
{
    public static ReadOnlySpan<byte> Magic => "WSZ1"u8;

    public const ushort Version = 1;
    public const int MaxFormatBytes = 64;
    public const int MaxFileNameBytes = 1024;
    public const int MaxTensorNameBytes = 4096;
    public const int MaxCodebook = 65535;

    // Deflate cannot expand data more than about 1032:1 (258-byte matches coded in 2 bits); a larger claim is a lie.
    public const long MaxDeflateRatio = 1032;

    public static byte DTypeCode(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => 0,
        TensorDType.Float16 => 1,
        TensorDType.BFloat16 => 2,
        TensorDType.Float64 => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Only floating-point tensors are shared."),
    };

    public static TensorDType? DTypeOf(byte code) => code switch
    {
        0 => TensorDType.Float32,
        1 => TensorDType.Float16,
        2 => TensorDType.BFloat16,
        3 => TensorDType.Float64,
        _ => null,
    };

    /// <summary>A name without folders or control characters, as the header's original file name must be.</summary>
    public static bool IsPlainFileName(string name) =>
        name.Length > 0 && !name.Any(c => char.IsControl(c) || c is '/' or '\\') && name is not ("." or "..");

    /// <summary>Whether the header can record <paramref name="name"/> as the original file name.</summary>
    public static bool CanHoldFileName(string name) =>
        IsPlainFileName(name) && System.Text.Encoding.UTF8.GetByteCount(name) <= MaxFileNameBytes;

    /// <summary>Everything about <paramref name="content"/> that must hold for decoding to be safe; null when it does.</summary>
    public static string? Problem(WszContent content)
    {
        if (content.Format.Length == 0 || content.Format.Length > MaxFormatBytes || !content.Format.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            return $"the format tag '{Shorten(content.Format)}' is not 1 to {MaxFormatBytes} characters of a-z, 0-9 and '-'";
        }

        if (!IsPlainFileName(content.OriginalFileName))
        {
            return "the original file name is empty or holds a folder separator or control character";
        }

        if (content.ReconstructedLength < 0 || content.ReconstructedLength > Array.MaxLength)
        {
            return $"the reconstructed length {content.ReconstructedLength} is outside 0..{Array.MaxLength}";
        }

        if (content.ReconstructedSha256.Length != SHA256.HashSizeInBytes)
        {
            return "the SHA-256 is not 32 bytes";
        }

        long end = 0;
        long segmentBytes = 0;
        foreach (var segment in content.Segments)
        {
            if (!segment.DType.IsFloatingPoint())
            {
                return $"segment '{Shorten(segment.TensorName)}' has the non-floating type {segment.DType}";
            }

            if (segment.FileOffset < end || segment.ElementCount <= 0 || segment.ElementCount > content.ReconstructedLength
                || segment.FileOffset > content.ReconstructedLength - segment.ByteLength)
            {
                return $"segment '{Shorten(segment.TensorName)}' at {segment.FileOffset} with {segment.ElementCount} elements overlaps the previous one or runs outside the file";
            }

            end = segment.FileOffset + segment.ByteLength;
            segmentBytes += segment.ByteLength;
        }

        foreach (var fix in content.CrcFixups)
        {
            if (fix.DataOffset < 0 || fix.Length < 0 || fix.DataOffset > content.ReconstructedLength - fix.Length)
            {
                return $"a CRC range at {fix.DataOffset} of {fix.Length} bytes runs outside the file";
            }

            if (fix.CrcFieldOffsets.Any(at => at < 0 || at > content.ReconstructedLength - 4))
            {
                return "a CRC field lies outside the file";
            }
        }

        if (content.Codebook.Length is 0 or > MaxCodebook || content.CodeLengths.Length != content.Codebook.Length)
        {
            return $"the codebook has {content.Codebook.Length} values and {content.CodeLengths.Length} code lengths (need 1..{MaxCodebook}, one length per value)";
        }

        var codeProblem = CanonicalHuffman.Validate(content.CodeLengths);
        if (codeProblem is not null)
        {
            return $"the Huffman code lengths are invalid: {codeProblem}";
        }

        if (content.SymbolCount > content.IndexStream.LongLength * 8)
        {
            return $"the index stream of {content.IndexStream.Length} bytes cannot hold {content.SymbolCount} indices";
        }

        if (content.ResidualLength < 0 || content.ResidualLength + segmentBytes != content.ReconstructedLength)
        {
            return $"the residual ({content.ResidualLength} bytes) and the segments ({segmentBytes} bytes) do not add up to the file length {content.ReconstructedLength}";
        }

        if (content.ResidualLength > (content.ResidualDeflate.LongLength + 1) * MaxDeflateRatio)
        {
            return $"{content.ResidualDeflate.Length} deflated bytes cannot expand to the declared {content.ResidualLength}";
        }

        return null;
    }

    /// <summary>Writes every segment's elements, the codebook values its indices name, into <paramref name="file"/>.</summary>
    public static void Splice(Span<byte> file, IReadOnlyList<WszSegment> segments, float[] codebook, ReadOnlySpan<ushort> indices)
    {
        long at = 0;
        var patterns = new ulong[codebook.Length];
        foreach (var segment in segments)
        {
            int size = segment.DType.ElementSize();
            var encoded = FloatCodec.EncodeFloats(codebook, segment.DType);
            for (int v = 0; v < codebook.Length; v++)
            {
                ulong pattern = 0;
                for (int b = size - 1; b >= 0; b--)
                {
                    pattern = pattern << 8 | encoded[v * size + b];
                }
                patterns[v] = pattern;
            }

            var target = file.Slice(checked((int)segment.FileOffset), checked((int)segment.ByteLength));
            var segmentIndices = indices.Slice(checked((int)at), checked((int)segment.ElementCount));
            for (int i = 0; i < segmentIndices.Length; i++)
            {
                ulong bits = patterns[segmentIndices[i]];
                var dest = target.Slice(i * size, size);
                switch (size)
                {
                    case 2:
                        BinaryPrimitives.WriteUInt16LittleEndian(dest, (ushort)bits);
                        break;
                    case 4:
                        BinaryPrimitives.WriteUInt32LittleEndian(dest, (uint)bits);
                        break;
                    default:
                        BinaryPrimitives.WriteUInt64LittleEndian(dest, bits);
                        break;
                }
            }

            at += segment.ElementCount;
        }
    }

    /// <summary>Recomputes each CRC over the spliced file.</summary>
    public static void ApplyCrcFixups(Span<byte> file, IReadOnlyList<WszCrcFixup> fixups)
    {
        foreach (var fix in fixups)
        {
            uint crc = Crc32.Compute(file.Slice((int)fix.DataOffset, (int)fix.Length));
            foreach (long at in fix.CrcFieldOffsets)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(file.Slice((int)at, 4), crc);
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
