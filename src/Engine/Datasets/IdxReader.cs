using System.Buffers.Binary;

namespace WeightShare.Engine.Datasets;

/// <summary>IDX files (MNIST, Fashion-MNIST): one of images, one of labels, each raw or gzip-compressed.</summary>
public static class IdxReader
{
    private const int MaxDimensions = 4;

    /// <summary>Reads an image file and a label file, given in either order.</summary>
    public static RawDataset Read(string firstPath, string secondPath)
    {
        var first = Parse(DatasetFiles.ReadMaybeGzip(firstPath), Path.GetFileName(firstPath));
        var second = Parse(DatasetFiles.ReadMaybeGzip(secondPath), Path.GetFileName(secondPath));
        var (images, labels) = first.Dimensions.Length == 1 ? (second, first) : (first, second);
        if (labels.Dimensions.Length != 1 || images.Dimensions.Length < 2)
        {
            throw new InvalidInputException("IDX data needs one label file (one dimension) and one image file (two or more dimensions).");
        }
        if (images.Dimensions[0] != labels.Dimensions[0])
        {
            throw new InvalidInputException($"The IDX image file holds {images.Dimensions[0]} samples but the label file {labels.Dimensions[0]}.");
        }
        var shape = images.Dimensions.Length == 3 ? new[] { 1, images.Dimensions[1], images.Dimensions[2] } : images.Dimensions[1..];
        var labelValues = new int[labels.Values.Length];
        for (var i = 0; i < labelValues.Length; i++)
        {
            var value = labels.Values[i];
            if (value != Math.Floor(value))
            {
                throw new InvalidInputException($"Label {i} of the IDX label file is {value}, not a class number.");
            }
            labelValues[i] = (int)value;
        }
        return RawDataset.Create(DatasetFormat.Idx, images.Values, labelValues, shape);
    }

    private static (int[] Dimensions, float[] Values) Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
        {
            throw new InvalidInputException($"{name} is not an IDX file (it must start with two zero bytes, a type and a dimension count).");
        }
        var (size, read) = bytes[2] switch
        {
            0x08 => (1, (Func<byte[], int, float>)((b, at) => b[at])),
            0x09 => (1, (b, at) => (sbyte)b[at]),
            0x0B => (2, (b, at) => BinaryPrimitives.ReadInt16BigEndian(b.AsSpan(at))),
            0x0C => (4, (b, at) => BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(at))),
            0x0D => (4, (b, at) => BinaryPrimitives.ReadSingleBigEndian(b.AsSpan(at))),
            0x0E => (8, (b, at) => (float)BinaryPrimitives.ReadDoubleBigEndian(b.AsSpan(at))),
            _ => throw new InvalidInputException($"{name} has IDX element type 0x{bytes[2]:X2}, which is not one of 08, 09, 0B, 0C, 0D, 0E."),
        };
        int count = bytes[3];
        if (count is < 1 or > MaxDimensions || bytes.Length < 4 + 4 * count)
        {
            throw new InvalidInputException($"{name} declares {count} dimensions; IDX data here has 1 to {MaxDimensions}.");
        }
        var dimensions = new int[count];
        long elements = 1;
        for (var d = 0; d < count; d++)
        {
            var dimension = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dimension == 0 || dimension > int.MaxValue)
            {
                throw new InvalidInputException($"{name} has a dimension of {dimension}.");
            }
            dimensions[d] = (int)dimension;
            elements *= dimension;
            if (elements > DatasetFiles.MaxBytes)
            {
                throw new InvalidInputException($"{name} declares more elements than any file here can hold.");
            }
        }
        var header = 4 + 4 * count;
        if (bytes.Length - header != elements * size)
        {
            throw new InvalidInputException(
                $"{name} declares {string.Join(" x ", dimensions)} elements of {size} bytes ({elements * size} bytes) but holds {bytes.Length - header}.");
        }
        var values = new float[elements];
        for (long i = 0; i < elements; i++)
        {
            values[i] = read(bytes, header + (int)(i * size));
        }
        return (dimensions, values);
    }
}
