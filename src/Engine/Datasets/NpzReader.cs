using System.IO.Compression;

namespace WeightShare.Engine.Datasets;

/// <summary>NumPy .npz archives (np.savez or np.savez_compressed) with arrays x (samples) and y (labels), or x alone.</summary>
public static class NpzReader
{
    /// <summary>Reads x and y from the archive at <paramref name="path"/>.</summary>
    public static RawDataset Read(string path)
    {
        NpyArray x;
        NpyArray? y;
        try
        {
            using var archive = ZipFile.OpenRead(path);
            x = Array(archive, "x");
            y = archive.GetEntry("y.npy") is null ? null : Array(archive, "y");
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{Path.GetFileName(path)} is not a readable .npz archive: {e.Message}", e);
        }
        return DatasetArrays.Build(DatasetFormat.Npz, x.Shape, x.Values, y?.Shape, y?.Values, y?.IsInteger ?? true, "y");
    }

    private static NpyArray Array(ZipArchive archive, string name)
    {
        var entry = archive.GetEntry(name + ".npy")
            ?? throw new InvalidInputException($"The .npz archive has no array '{name}' (it needs x for the samples, and y for the labels if it has them).");
        if (entry.Length > DatasetFiles.MaxBytes)
        {
            throw new InvalidInputException($"{entry.FullName} is larger than {DatasetFiles.MaxBytes} bytes.");
        }
        using var stream = entry.Open();
        return NpyArray.Parse(DatasetFiles.ReadBounded(stream, entry.FullName), entry.FullName);
    }
}
