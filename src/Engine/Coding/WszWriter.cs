using System.Text;

namespace WeightShare.Engine.Coding;

/// <summary>Writes <see cref="WszContent"/> in the .wsz layout of docs/wsz-format.md.</summary>
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
        writer.Write(WszLayout.Version);
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
            writer.Write(segment.ElementCount);
            writer.Write(WszLayout.DTypeCode(segment.DType));
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

        writer.Write((uint)content.Codebook.Length);
        foreach (float value in content.Codebook)
        {
            writer.Write(value);
        }

        foreach (int length in content.CodeLengths)
        {
            writer.Write((byte)length);
        }

        writer.Write(content.IndexStream.LongLength);
        writer.Write(content.IndexStream);
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
        length += 4 + content.Segments.Sum(s => Str(s.TensorName) + 8 + 8 + 1);
        length += 4 + content.CrcFixups.Sum(f => 8 + 8 + 4 + 8L * f.CrcFieldOffsets.Length);
        length += 4 + 5L * content.Codebook.Length;
        length += 8 + content.IndexStream.LongLength + 8 + 8 + content.ResidualDeflate.LongLength;
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
