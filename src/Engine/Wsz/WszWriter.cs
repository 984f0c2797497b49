using System.Text;

namespace WeightShare.Engine.Wsz;

/// <summary>Writes <see cref="WszContent"/> in the .wsz layout of docs/wsz-format.md, version 1 or 2 as the content says.</summary>
public static class WszWriter
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The content is inconsistent (a reader would reject it).</exception>
    public static void Write(Stream output, WszContent content)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(content);
        var problem = WszLayout.Problem(content);
        if (problem is not null)
        {
            throw new ArgumentException($"The .wsz content is inconsistent: {problem}.", nameof(content));
        }

        // BinaryWriter is little-endian on every platform, as the format requires.
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        writer.Write(WszLayout.Magic);
        writer.Write((ushort)content.Version);
        writer.Write((ushort)0);
        WriteString(writer, content.Format, WszLayout.MaxFormatBytes);
        WriteString(writer, content.OriginalFileName, WszLayout.MaxFileNameBytes);
        writer.Write(content.ReconstructedLength);
        writer.Write(content.ReconstructedSha256);

        writer.Write((uint)content.Segments.Count);
        foreach (var segment in content.Segments)
        {
            WriteString(writer, segment.TensorName, WszLayout.MaxTensorNameBytes);
            writer.Write(segment.FileOffset);
            if (content.Version == 1)
            {
                writer.Write(segment.ElementCount);
                writer.Write(WszLayout.DTypeCode(segment.DType));
            }
            else
            {
                writer.Write(WszLayout.DTypeCode(segment.DType));
                writer.Write((byte)segment.Shape.Count);
                foreach (var dimension in segment.Shape)
                {
                    writer.Write(dimension);
                }
            }
        }

        writer.Write((uint)content.CrcFixups.Count);
        foreach (var fix in content.CrcFixups)
        {
            writer.Write(fix.DataOffset);
            writer.Write(fix.Length);
            writer.Write((uint)fix.CrcFieldOffsets.Length);
            foreach (long at in fix.CrcFieldOffsets)
            {
                writer.Write(at);
            }
        }

        if (content.Version == 1)
        {
            // Version 1 is the paper codec's block in place, with no id or length before it.
            writer.Write(content.CodecBlock);
        }
        else
        {
            WriteString(writer, content.CodecId, WszLayout.MaxCodecIdBytes);
            writer.Write(content.CodecBlock.LongLength);
            writer.Write(content.CodecBlock);
            writer.Write((byte)content.ResidualCoding);
        }

        writer.Write(content.ResidualLength);
        writer.Write(content.ResidualDeflate.LongLength);
        writer.Write(content.ResidualDeflate);
    }

    /// <summary>The number of bytes <see cref="Write"/> produces for <paramref name="content"/>.</summary>
    public static long Length(WszContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        static long Str(string s) => 2 + Encoding.UTF8.GetByteCount(s);
        long length = 4 + 2 + 2 + Str(content.Format) + Str(content.OriginalFileName) + 8 + 32;
        length += 4 + content.Segments.Sum(s => Str(s.TensorName) + 8 + (content.Version == 1 ? 8 + 1 : 1 + 1 + (8L * s.Shape.Count)));
        length += 4 + content.CrcFixups.Sum(f => 8 + 8 + 4 + (8L * f.CrcFieldOffsets.Length));
        length += content.Version == 1 ? content.CodecBlock.LongLength : Str(content.CodecId) + 8 + content.CodecBlock.LongLength + 1;
        length += 8 + 8 + content.ResidualDeflate.LongLength;
        return length;
    }

    private static void WriteString(BinaryWriter writer, string text, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > maxBytes)
        {
            throw new ArgumentException($"'{text[..Math.Min(text.Length, 40)]}...' is longer than {maxBytes} UTF-8 bytes.", nameof(text));
        }

        writer.Write((ushort)bytes.Length);
        writer.Write(bytes);
    }
}
