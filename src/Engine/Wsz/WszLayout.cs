using System.Buffers.Binary;
using System.Security.Cryptography;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Wsz;

/// <summary>Constants and checks shared by the .wsz writer, reader, builder and decoder.</summary>
internal static class WszLayout
{
    public static ReadOnlySpan<byte> Magic => "WSZ1"u8;

    /// <summary>Version 1 files hold only this codec's block, laid out as fields 12 to 16.</summary>
    public const string Version1Codec = "paper";

    /// <summary>
    /// The largest file a .wsz can rebuild, in bytes: <see cref="Array.MaxLength"/> (a property, so its value is
    /// written here), as the original is held in one byte array while compressing and the rebuilt file while decoding.
    /// </summary>
    public const long MaxOriginalBytes = 0x7FFF_FFC7;

    public const int MaxCodecIdBytes = 32;
    public const int MaxRank = 32;

    public const int MaxFormatBytes = 64;
    public const int MaxFileNameBytes = 1024;
    public const int MaxTensorNameBytes = 4096;

    // Deflate cannot expand data more than about 1032:1 (258-byte matches coded in 2 bits); a larger claim is a lie.
    public const long MaxDeflateRatio = 1032;

    // Brotli can expand far more; no residual this product writes comes near this, so a larger claim is refused.
    public const long MaxBrotliRatio = 4096;

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

    /// <summary>Everything about <paramref name="content"/>'s common part that must hold for decoding to be safe; null when it does.
    /// The codec block is the codec's to check.</summary>
    public static string? Problem(WszContent content)
    {
        if (content.Version is not (1 or 2))
        {
            return $"the version is {content.Version}; only 1 and 2 exist";
        }

        if (!Codecs.CodecRegistry.IsValidId(content.CodecId) || (content.Version == 1 && content.CodecId != Version1Codec))
        {
            return $"the codec id '{Shorten(content.CodecId)}' is not valid{(content.Version == 1 ? " for version 1, which holds only the paper codec" : "")}";
        }

        if (content.Format.Length == 0 || content.Format.Length > MaxFormatBytes || !content.Format.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            return $"the format tag '{Shorten(content.Format)}' is not 1 to {MaxFormatBytes} characters of a-z, 0-9 and '-'";
        }

        if (!IsPlainFileName(content.OriginalFileName))
        {
            return "the original file name is empty or holds a folder separator or control character";
        }

        if (content.ReconstructedLength < 0 || content.ReconstructedLength > MaxOriginalBytes)
        {
            return $"the reconstructed length {content.ReconstructedLength} is outside 0..{MaxOriginalBytes}";
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

            if (segment.Shape.Count > MaxRank || ShapeProduct(segment.Shape) != segment.ElementCount)
            {
                return $"segment '{Shorten(segment.TensorName)}' has shape [{string.Join(", ", segment.Shape)}], which does not make {segment.ElementCount} elements";
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

        if (content.SymbolCount > Array.MaxLength)
        {
            return $"the segments hold {content.SymbolCount} elements, more than one decode can hold";
        }

        if (content.ResidualLength < 0 || content.ResidualLength + segmentBytes != content.ReconstructedLength)
        {
            return $"the residual ({content.ResidualLength} bytes) and the segments ({segmentBytes} bytes) do not add up to the file length {content.ReconstructedLength}";
        }

        if (!Enum.IsDefined(content.ResidualCoding) || (content.Version == 1 && content.ResidualCoding != WszResidualCoding.Deflate))
        {
            return $"the residual coding {(int)content.ResidualCoding} is not known{(content.Version == 1 ? " to version 1, which only deflates" : "")}";
        }

        if (content.ResidualLength > (content.ResidualDeflate.LongLength + 1) * (content.ResidualCoding == WszResidualCoding.Deflate ? MaxDeflateRatio : MaxBrotliRatio))
        {
            return $"{content.ResidualDeflate.Length} deflated bytes cannot expand to the declared {content.ResidualLength}";
        }

        return null;
    }

    /// <summary>The product of <paramref name="shape"/>'s dimensions, or -1 when one is negative or the product overflows.</summary>
    public static long ShapeProduct(IReadOnlyList<long> shape)
    {
        long product = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0 || (dimension > 0 && product > long.MaxValue / dimension))
            {
                return -1;
            }
            product *= dimension;
        }
        return product;
    }

    /// <summary>Writes every segment's elements, <paramref name="values"/> in segment order, into <paramref name="file"/> in each segment's type.</summary>
    public static void Splice(Span<byte> file, IReadOnlyList<WszSegment> segments, ReadOnlySpan<float> values)
    {
        long at = 0;
        foreach (var segment in segments)
        {
            var encoded = FloatCodec.EncodeFloats(values.Slice(checked((int)at), checked((int)segment.ElementCount)), segment.DType);
            encoded.CopyTo(file.Slice(checked((int)segment.FileOffset), checked((int)segment.ByteLength)));
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
