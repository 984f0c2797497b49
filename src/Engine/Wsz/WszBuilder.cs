using System.IO.Compression;
using System.Security.Cryptography;

namespace WeightShare.Engine.Wsz;

/// <summary>Makes <see cref="WszContent"/> from an original checkpoint file and a codec's block.</summary>
public static class WszBuilder
{
    /// <summary>
    /// The largest model file, in bytes, that the .wsz format can hold and rebuild (<see cref="Array.MaxLength"/>):
    /// a larger model cannot be compressed.
    /// </summary>
    public const long MaxOriginalBytes = WszLayout.MaxOriginalBytes;

    /// <summary>
    /// Builds the .wsz content: deflates the bytes outside the segments, keeps the codec's block as it is, and records
    /// the SHA-256 of the file decoding will produce (the original with <paramref name="values"/> spliced in).
    /// The paper codec's content is version 1, the layout every earlier release wrote; every other codec's is version 2.
    /// </summary>
    /// <param name="original">The original checkpoint file.</param>
    /// <param name="format">The checkpoint format tag ("torchscript", "pytorch", "safetensors", "onnx").</param>
    /// <param name="originalFileName">The file's name, without folders.</param>
    /// <param name="segments">The shared tensors' places, ascending and non-overlapping.</param>
    /// <param name="crcFixups">Checksums that cover spliced bytes.</param>
    /// <param name="codecId">The codec that wrote <paramref name="codecBlock"/>.</param>
    /// <param name="codecBlock">The codec's bytes.</param>
    /// <param name="values">What the codec's block decodes to: one value per segment element, segment by segment.</param>
    /// <param name="residualCoding">How the residual is compressed; version 1 (the paper codec) only deflates.</param>
    /// <exception cref="ArgumentException">The segments, fix-ups or values do not fit the file.</exception>
    public static WszContent Build(
        byte[] original,
        string format,
        string originalFileName,
        IReadOnlyList<WszSegment> segments,
        IReadOnlyList<WszCrcFixup> crcFixups,
        string codecId,
        byte[] codecBlock,
        ReadOnlySpan<float> values,
        WszResidualCoding residualCoding = WszResidualCoding.Deflate)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(crcFixups);
        ArgumentNullException.ThrowIfNull(codecBlock);
        long symbolCount = segments.Sum(s => s.ElementCount);
        if (values.Length != symbolCount)
        {
            throw new ArgumentException($"The segments hold {symbolCount} elements but {values.Length} values were given.", nameof(values));
        }

        var (residual, residualLength) = Compress(original, segments, residualCoding);
        var version = codecId == WszLayout.Version1Codec && residualCoding == WszResidualCoding.Deflate ? 1 : 2;
        var placeholder = new WszContent(version, format, originalFileName, original.LongLength, new byte[32], segments, crcFixups, codecId, codecBlock, residualLength, residual)
        {
            ResidualCoding = residualCoding,
        };
        var problem = WszLayout.Problem(placeholder);
        if (problem is not null)
        {
            throw new ArgumentException($"The .wsz content would be inconsistent: {problem}.", nameof(segments));
        }

        var rebuilt = (byte[])original.Clone();
        WszLayout.Splice(rebuilt, segments, values);
        WszLayout.ApplyCrcFixups(rebuilt, crcFixups);
        return placeholder with { ReconstructedSha256 = SHA256.HashData(rebuilt) };
    }

    private static (byte[] Compressed, long Length) Compress(byte[] original, IReadOnlyList<WszSegment> segments, WszResidualCoding coding)
    {
        using var buffer = new MemoryStream();
        long length = 0;
        using (var deflate = coding == WszResidualCoding.Brotli
            ? (Stream)new BrotliStream(buffer, new BrotliCompressionOptions { Quality = 11 }, leaveOpen: true)
            : new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
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
