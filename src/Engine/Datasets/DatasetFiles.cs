using System.IO.Compression;

namespace WeightShare.Engine.Datasets;

/// <summary>Reading helpers the dataset readers share: gzip detection and bounded reads.</summary>
internal static class DatasetFiles
{
    /// <summary>The largest decompressed input a reader accepts (the largest .NET byte array).</summary>
    public const long MaxBytes = int.MaxValue - 64;

    // DEFLATE cannot expand data more than about 1032 times: anything claiming more is a decompression bomb.
    private const long MaxExpansion = 1100;

    /// <summary>The most bytes a compressed file of <paramref name="compressedLength"/> bytes may honestly inflate to.</summary>
    public static long InflateLimit(long compressedLength) => Math.Min(MaxBytes, Math.Max(1, compressedLength) * MaxExpansion);

    public static bool IsGzip(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b;

    public static byte[] Head(string path, int count)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[count];
        var read = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return buffer[..read];
    }

    /// <summary>The whole file, gunzipped when it is gzip; refuses more than <see cref="MaxBytes"/>.</summary>
    public static byte[] ReadMaybeGzip(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (!IsGzip(magic[..read]))
        {
            if (file.Length > MaxBytes)
            {
                throw new InvalidInputException($"{Path.GetFileName(path)} is larger than {MaxBytes} bytes.");
            }
            return File.ReadAllBytes(path);
        }
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return ReadBounded(gzip, Path.GetFileName(path), InflateLimit(file.Length));
    }

    public static byte[] ReadBounded(Stream stream, string name, long limit = MaxBytes)
    {
        using var output = new MemoryStream();
        var buffer = new byte[1 << 20];
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                if (output.Length + n > limit)
                {
                    throw new InvalidInputException($"{name} decompresses to more than {limit} bytes, more than its compressed size allows or a dataset here may hold.");
                }
                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{name} is not valid compressed data: {e.Message}", e);
        }
        return output.ToArray();
    }
}
