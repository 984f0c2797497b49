using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Wsz;

/// <summary>
/// Rebuilds the checkpoint file a .wsz file describes, streaming: the residual is inflated and the codec's weights are
/// decoded a chunk at a time straight into the output, so memory stays at the .wsz content and a fixed buffer however
/// large a file the header claims.
/// </summary>
public static class WszDecoder
{
    private const int BufferBytes = 1 << 16;

    /// <summary>
    /// Writes the rebuilt file to <paramref name="output"/> from its current position, recomputes the CRCs there, then
    /// reads it back to check the SHA-256. On an exception, what was written is garbage: discard it.
    /// </summary>
    /// <param name="content">A .wsz file's content, as <see cref="WszReader.Read"/> returns it.</param>
    /// <param name="output">A readable, writable, seekable stream (a temporary file, or memory for small files); left at its end.</param>
    /// <param name="codecs">The codecs this host knows; <see cref="CodecRegistry.Default"/> when null.</param>
    /// <param name="cancellationToken">Checked between chunks (a client that went away stops a large rebuild).</param>
    /// <exception cref="InvalidInputException">The content is corrupt: bad codes, a residual of the wrong size, or a SHA-256 mismatch.</exception>
    public static void Reconstruct(WszContent content, Stream output, CodecRegistry? codecs = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanSeek || !output.CanRead || !output.CanWrite)
        {
            throw new ArgumentException("The output must be readable, writable and seekable: the CRCs and the SHA-256 are checked on what was written.", nameof(output));
        }

        var problem = WszLayout.Problem(content);
        if (problem is not null)
        {
            throw new InvalidInputException($"The .wsz content is inconsistent: {problem}.");
        }

        var origin = output.Position;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            WriteFile(content, WszReader.CodecFor(content, codecs).OpenReader(content.CodecBlock, content.Segments), output, buffer, cancellationToken);
            foreach (var fix in content.CrcFixups)
            {
                var crc = Crc32Of(output, origin + fix.DataOffset, fix.Length, buffer, cancellationToken);
                BinaryPrimitives.WriteUInt32LittleEndian(buffer, crc);
                foreach (var at in fix.CrcFieldOffsets)
                {
                    output.Position = origin + at;
                    output.Write(buffer, 0, 4);
                }
            }

            output.Position = origin;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (var left = content.ReconstructedLength; left > 0;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = output.Read(buffer, 0, (int)Math.Min(left, BufferBytes));
                if (read == 0)
                {
                    throw new IOException("The output stream ended before the rebuilt file did.");
                }
                sha.AppendData(buffer, 0, read);
                left -= read;
            }
            if (!sha.GetHashAndReset().AsSpan().SequenceEqual(content.ReconstructedSha256))
            {
                throw new InvalidInputException("The rebuilt file's SHA-256 does not match the one the .wsz file records: the file is corrupt.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>As <see cref="Reconstruct"/>, returning the rebuilt file: for files that fit in memory.</summary>
    /// <exception cref="InvalidInputException">The content is corrupt.</exception>
    public static byte[] ReconstructToArray(WszContent content, CodecRegistry? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        // Sized to the file (its length was bounded by the reader), so the buffer is the result with no copy.
        using var output = new MemoryStream(checked((int)content.ReconstructedLength));
        Reconstruct(content, output, codecs);
        return output.Length == output.Capacity ? output.GetBuffer() : output.ToArray();
    }

    // The residual's gaps and the segments' weights, in file order.
    private static void WriteFile(WszContent content, SharedWeightReader weights, Stream output, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            using var inflate = content.ResidualCoding == WszResidualCoding.Brotli
                ? (Stream)new BrotliStream(new MemoryStream(content.ResidualDeflate), CompressionMode.Decompress)
                : new DeflateStream(new MemoryStream(content.ResidualDeflate), CompressionMode.Decompress);
            long at = 0;
            var values = new float[BufferBytes / sizeof(double)];
            var encoded = new byte[BufferBytes];
            foreach (var segment in content.Segments)
            {
                CopyGap(inflate, output, segment.FileOffset - at, buffer, cancellationToken);
                for (var left = segment.ElementCount; left > 0;)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var chunk = values.AsSpan(0, (int)Math.Min(left, values.Length));
                    weights.Read(chunk);
                    var bytes = encoded.AsSpan(0, chunk.Length * segment.DType.ElementSize());
                    FloatCodec.EncodeFloats(chunk, segment.DType, bytes);
                    output.Write(bytes);
                    left -= chunk.Length;
                }
                at = segment.FileOffset + segment.ByteLength;
            }

            CopyGap(inflate, output, content.ReconstructedLength - at, buffer, cancellationToken);
            if (ReadResidual(inflate, buffer.AsSpan(0, 1)) != 0)
            {
                throw new InvalidInputException("The residual inflates to more bytes than the .wsz file declares.");
            }
            weights.Finish();
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidInputException($"The residual in the .wsz file is not valid {content.ResidualCoding} data.", ex);
        }
    }

    private static void CopyGap(Stream inflate, Stream output, long length, byte[] buffer, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var want = (int)Math.Min(length, BufferBytes);
            if (ReadResidual(inflate, buffer.AsSpan(0, want)) != want)
            {
                throw new InvalidInputException("The residual inflates to fewer bytes than the .wsz file declares.");
            }
            output.Write(buffer, 0, want);
            length -= want;
        }
    }

    // Reads until the span is full or the residual ends. BrotliStream reports corrupt data as InvalidOperationException
    // where DeflateStream throws InvalidDataException: both become the latter, which WriteFile turns into a refusal.
    private static int ReadResidual(Stream inflate, Span<byte> buffer)
    {
        try
        {
            return inflate.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidOperationException ex) when (inflate is BrotliStream)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    private static uint Crc32Of(Stream output, long from, long length, byte[] buffer, CancellationToken cancellationToken)
    {
        output.Position = from;
        uint crc = 0;
        while (length > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = output.Read(buffer, 0, (int)Math.Min(length, BufferBytes));
            if (read == 0)
            {
                throw new IOException("The output stream ended inside a CRC range.");
            }
            crc = Crc32.Append(crc, buffer.AsSpan(0, read));
            length -= read;
        }
        return crc;
    }
}
