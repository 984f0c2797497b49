using System.IO.Compression;
using System.Security.Cryptography;
using WeightShare.Engine.Codecs;

namespace WeightShare.Engine.Wsz;

/// <summary>Rebuilds the checkpoint file a .wsz file describes.</summary>
public static class WszDecoder
{
    /// <summary>
    /// Inflates the residual, has the codec rebuild the shared weights, splices them into the segments' places in
    /// each segment's type, recomputes the CRCs, checks the SHA-256 and only then writes the file to <paramref name="output"/>.
    /// </summary>
    /// <exception cref="InvalidInputException">The content is corrupt: bad codes, a residual of the wrong size, or a SHA-256 mismatch.</exception>
    public static void Reconstruct(WszContent content, Stream output, CodecRegistry? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(ReconstructToArray(content, codecs));
    }

    /// <summary>As <see cref="Reconstruct"/>, returning the rebuilt file.</summary>
    /// <exception cref="InvalidInputException">The content is corrupt.</exception>
    public static byte[] ReconstructToArray(WszContent content, CodecRegistry? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var problem = WszLayout.Problem(content);
        if (problem is not null)
        {
            throw new InvalidInputException($"The .wsz content is inconsistent: {problem}.");
        }

        // Problem() bounded the element count and this length by the real residual and the declared segments.
        var values = new float[content.SymbolCount];
        WszReader.CodecFor(content, codecs).Decode(content.CodecBlock, content.Segments, values);
        var file = new byte[content.ReconstructedLength];
        FillResidual(content, file);
        WszLayout.Splice(file, content.Segments, values);
        WszLayout.ApplyCrcFixups(file, content.CrcFixups);
        if (!SHA256.HashData(file).AsSpan().SequenceEqual(content.ReconstructedSha256))
        {
            throw new InvalidInputException("The rebuilt file's SHA-256 does not match the one the .wsz file records: the file is corrupt.");
        }

        return file;
    }

    private static void FillResidual(WszContent content, byte[] file)
    {
        try
        {
            using var inflate = content.ResidualCoding == WszResidualCoding.Brotli
                ? (Stream)new BrotliStream(new MemoryStream(content.ResidualDeflate), CompressionMode.Decompress)
                : new DeflateStream(new MemoryStream(content.ResidualDeflate), CompressionMode.Decompress);
            long at = 0;
            foreach (var segment in content.Segments)
            {
                ReadGap(inflate, file, at, segment.FileOffset);
                at = segment.FileOffset + segment.ByteLength;
            }

            ReadGap(inflate, file, at, file.LongLength);
            Span<byte> probe = stackalloc byte[1];
            if (inflate.Read(probe) != 0)
            {
                throw new InvalidInputException("The residual inflates to more bytes than the .wsz file declares.");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidInputException($"The residual in the .wsz file is not valid {content.ResidualCoding} data.", ex);
        }
    }

    private static void ReadGap(Stream inflate, byte[] file, long from, long to)
    {
        var gap = file.AsSpan((int)from, (int)(to - from));
        if (inflate.ReadAtLeast(gap, gap.Length, throwOnEndOfStream: false) != gap.Length)
        {
            throw new InvalidInputException("The residual inflates to fewer bytes than the .wsz file declares.");
        }
    }
}
