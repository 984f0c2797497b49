namespace WeightShare.Engine.Datasets;

/// <summary>Reads any accepted validation-data upload, telling the format by content, not by file name.</summary>
public static class DatasetReader
{
    /// <summary>
    /// One file: a CIFAR .tar.gz, an .npz or a safetensors file. Two files: IDX images and labels, in either order.
    /// </summary>
    public static RawDataset Read(IReadOnlyList<string> paths)
    {
        if (paths.Count == 2)
        {
            return IdxReader.Read(paths[0], paths[1]);
        }
        if (paths.Count != 1)
        {
            throw new InvalidInputException($"A dataset is one file (CIFAR .tar.gz, .npz, safetensors) or two IDX files (images and labels); {paths.Count} were given.");
        }

        var path = paths[0];
        var head = DatasetFiles.Head(path, 16);
        if (DatasetFiles.IsGzip(head))
        {
            // A gzip holding IDX starts with two zero bytes; a tar starts with a member name.
            var inner = GunzippedHead(path);
            if (inner.Length >= 2 && inner[0] == 0 && inner[1] == 0)
            {
                throw new InvalidInputException("This is one IDX file; upload the image file and the label file together.");
            }
            return CifarReader.Read(path);
        }
        if (IsZip(head))
        {
            return NpzReader.Read(path);
        }
        if (IsSafetensors(head))
        {
            return SafetensorsDatasetReader.Read(path);
        }
        if (IsRawIdx(head))
        {
            throw new InvalidInputException("This is one IDX file; upload the image file and the label file together.");
        }
        throw Unsupported();
    }

    /// <summary>
    /// Refuses, with <see cref="Read"/>'s message for a single unreadable file, a file whose first bytes
    /// (at least nine, fewer only when it is shorter) begin no accepted format: gzip (CIFAR .tar.gz, or
    /// IDX gzipped), a zip (.npz), safetensors or raw IDX. Lets an upload be refused before the rest of it arrives;
    /// bytes that pass may still be refused by <see cref="Read"/>.
    /// </summary>
    /// <exception cref="UnsupportedFormatException">No accepted format starts so.</exception>
    public static void CheckHead(ReadOnlySpan<byte> head)
    {
        if (!(DatasetFiles.IsGzip(head) || IsZip(head) || IsSafetensors(head) || IsRawIdx(head)))
        {
            throw Unsupported();
        }
    }

    private static bool IsZip(ReadOnlySpan<byte> head) => head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K';

    private static bool IsSafetensors(ReadOnlySpan<byte> head) => head.Length >= 9 && head[8] == (byte)'{';

    private static bool IsRawIdx(ReadOnlySpan<byte> head) => head.Length >= 4 && head[0] == 0 && head[1] == 0;

    private static UnsupportedFormatException Unsupported() =>
        new("The file is not a dataset format read here: IDX (two files), CIFAR .tar.gz, NumPy .npz or safetensors.");

    private static byte[] GunzippedHead(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        var buffer = new byte[4];
        try
        {
            var read = gzip.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return buffer[..read];
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{Path.GetFileName(path)} is not valid gzip data: {e.Message}", e);
        }
    }
}
