namespace WeightShare.Engine.Datasets;

/// <summary>Turns an x array and a y array (npz, safetensors) into a dataset with the shape conventions of api.md.</summary>
internal static class DatasetArrays
{
    /// <summary>
    /// x of shape (N, C, H, W) is kept, (N, H, W) becomes one channel, (N, F) feature vectors; y must be N class numbers,
    /// or absent (null) for inputs without labels. Channels-last images are not guessed at.
    /// </summary>
    public static RawDataset Build(DatasetFormat format, long[] xShape, float[] x, long[]? yShape, float[]? y, bool yInteger, string yName)
    {
        if (xShape.Length is < 2 or > 4)
        {
            throw new InvalidInputException($"x has shape ({string.Join(", ", xShape)}); it must be (N, F), (N, H, W) or (N, C, H, W).");
        }
        var count = xShape[0];
        var shape = xShape.Length == 3 ? new[] { 1, (int)xShape[1], (int)xShape[2] } : xShape.Skip(1).Select(d => (int)d).ToArray();
        if (yShape is null || y is null)
        {
            return count > int.MaxValue
                ? throw new InvalidInputException($"x holds {count} samples, more than a dataset here can.")
                : RawDataset.CreateUnlabelled(format, x, (int)count, shape);
        }
        if (yShape.Length != 1 || yShape[0] != count)
        {
            throw new InvalidInputException($"{yName} has shape ({string.Join(", ", yShape)}); it must hold one label for each of the {count} samples in x.");
        }
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            if (y[i] != Math.Floor(y[i]) || (!yInteger && y[i] > RawDataset.MaxClasses))
            {
                throw new InvalidInputException($"Label {i} is {y[i]}, not a class number.");
            }
            labels[i] = (int)y[i];
        }
        return RawDataset.Create(format, x, labels, shape);
    }
}
