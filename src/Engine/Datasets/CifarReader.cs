using System.Formats.Tar;
using System.IO.Compression;

namespace WeightShare.Engine.Datasets;

/// <summary>
/// CIFAR-10 and CIFAR-100 binary archives (.tar.gz as published). A validation upload is normally the test split,
/// so an archive holding test_batch.bin (CIFAR-10) or test.bin (CIFAR-100) gives only that; otherwise every .bin
/// member with records is read.
/// </summary>
public static class CifarReader
{
    private const int Pixels = 3 * 32 * 32;

    /// <summary>Reads the archive at <paramref name="path"/>.</summary>
    public static RawDataset Read(string path)
    {
        var members = new List<(string Name, byte[] Data)>();
        var limit = DatasetFiles.InflateLimit(new FileInfo(path).Length);
        long total = 0;
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (NextEntry(tar, path) is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                if (name.StartsWith('/') || name.Split('/').Contains(".."))
                {
                    throw new InvalidInputException($"The archive member '{entry.Name}' points outside the archive.");
                }
                // Links and folders carry no records; never follow them.
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !name.EndsWith(".bin", StringComparison.Ordinal))
                {
                    continue;
                }
                total += entry.Length;
                if (total > limit)
                {
                    throw new InvalidInputException($"The archive's .bin members add up to more than {limit} bytes, more than its compressed size allows or a dataset here may hold.");
                }
                members.Add((name, entry.DataStream is null ? [] : DatasetFiles.ReadBounded(entry.DataStream, name, limit)));
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new InvalidInputException($"{Path.GetFileName(path)} is not a readable .tar.gz archive: {e.Message}", e);
        }

        var hundred = members.Any(m => m.Name.Contains("cifar-100", StringComparison.OrdinalIgnoreCase))
            || (members.Count > 0 && members.All(m => m.Data.Length % (Pixels + 2) == 0 && m.Data.Length % (Pixels + 1) != 0));
        var test = members.Where(m => Path.GetFileName(m.Name) is "test_batch.bin" or "test.bin").ToList();
        var chosen = test.Count > 0 ? test : members;
        if (chosen.Count == 0)
        {
            throw new InvalidInputException("The archive holds no CIFAR .bin batches (expected cifar-10-batches-bin/*.bin or cifar-100-binary/*.bin).");
        }

        var labelBytes = hundred ? 2 : 1;
        var record = labelBytes + Pixels;
        var count = 0;
        foreach (var (name, data) in chosen)
        {
            if (data.Length == 0 || data.Length % record != 0)
            {
                throw new InvalidInputException($"{name} holds {data.Length} bytes, not a whole number of {record}-byte CIFAR records.");
            }
            count += data.Length / record;
        }

        var samples = new float[(long)count * Pixels];
        var labels = new int[count];
        var n = 0;
        foreach (var (_, data) in chosen)
        {
            for (var at = 0; at < data.Length; at += record, n++)
            {
                // CIFAR-100 records carry the coarse label first and the fine (100-class) label second.
                labels[n] = data[at + labelBytes - 1];
                for (var i = 0; i < Pixels; i++)
                {
                    samples[(long)n * Pixels + i] = data[at + labelBytes + i];
                }
            }
        }
        return RawDataset.Create(DatasetFormat.Cifar, samples, labels, [3, 32, 32]);
    }

    // TarReader reports a header it cannot take with whatever its parsing ran into, not only InvalidDataException: found
    // by fuzzing, NotSupportedException for an entry type it does not read (a GNU sparse file) and OverflowException
    // for a base-256 number too large for its field (a GNU timestamp); ArgumentException covers values out of a
    // type's range. Only this call is guarded, so a fault in the loop above still shows as what it is.
    private static TarEntry? NextEntry(TarReader tar, string path)
    {
        try
        {
            return tar.GetNextEntry();
        }
        catch (Exception e) when (e is NotSupportedException or ArithmeticException or ArgumentException)
        {
            throw new InvalidInputException($"{Path.GetFileName(path)} is not a readable .tar.gz archive: {e.Message}", e);
        }
    }
}
