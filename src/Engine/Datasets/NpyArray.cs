using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace WeightShare.Engine.Datasets;

/// <summary>One NumPy .npy array read as float values. Only plain little-endian numeric arrays are accepted.</summary>
internal sealed partial record NpyArray(long[] Shape, float[] Values, bool IsInteger)
{
    public static NpyArray Parse(byte[] bytes, string name)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || !bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8))
        {
            throw new InvalidInputException($"{name} is not a NumPy .npy array.");
        }
        int major = bytes[6];
        var (headerLength, start) = major switch
        {
            1 => ((long)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10),
            2 or 3 when bytes.Length >= 12 => ((long)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), 12),
            _ => throw new InvalidInputException($"{name} is .npy version {major}; versions 1 to 3 are read."),
        };
        if (start + headerLength > bytes.Length)
        {
            throw new InvalidInputException($"{name}'s header runs past the end of the array.");
        }
        var header = Encoding.Latin1.GetString(bytes, start, (int)headerLength);
        var descr = Descr().Match(header);
        var fortran = Fortran().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shapeMatch.Success)
        {
            throw new InvalidInputException($"{name}'s header is not a NumPy array header: {header.Trim()}");
        }
        if (fortran.Groups[1].Value == "True")
        {
            throw new InvalidInputException($"{name} is stored in Fortran order; save it C-contiguous (np.ascontiguousarray).");
        }
        var type = descr.Groups[1].Value;
        if (type.Contains('O'))
        {
            throw new InvalidInputException($"{name} is an object array; object arrays need pickle to read and are refused.");
        }
        var (size, integer, read) = type switch
        {
            "|u1" or "<u1" => (1, true, (Func<byte[], long, float>)((b, at) => b[at])),
            "|i1" or "<i1" => (1, true, (b, at) => (sbyte)b[at]),
            "|b1" => (1, true, (b, at) => b[at] == 0 ? 0 : 1),
            "<i2" => (2, true, (b, at) => BinaryPrimitives.ReadInt16LittleEndian(b.AsSpan((int)at))),
            "<u2" => (2, true, (b, at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan((int)at))),
            "<i4" => (4, true, (b, at) => BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan((int)at))),
            "<i8" => (8, true, (b, at) => BinaryPrimitives.ReadInt64LittleEndian(b.AsSpan((int)at))),
            "<f2" => (2, false, (b, at) => (float)BinaryPrimitives.ReadHalfLittleEndian(b.AsSpan((int)at))),
            "<f4" => (4, false, (b, at) => BinaryPrimitives.ReadSingleLittleEndian(b.AsSpan((int)at))),
            "<f8" => (8, false, (b, at) => (float)BinaryPrimitives.ReadDoubleLittleEndian(b.AsSpan((int)at))),
            _ => throw new InvalidInputException($"{name} has dtype '{type}'; little-endian integers and floats are read."),
        };

        var dims = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new long[dims.Length];
        long elements = 1;
        for (var d = 0; d < dims.Length; d++)
        {
            if (!long.TryParse(dims[d], out shape[d]) || shape[d] < 0 || shape[d] > int.MaxValue)
            {
                throw new InvalidInputException($"{name} has a shape entry '{dims[d]}'.");
            }
            elements *= shape[d];
            if (elements > DatasetFiles.MaxBytes)
            {
                throw new InvalidInputException($"{name} declares more elements than any file here can hold.");
            }
        }
        var data = start + headerLength;
        if (bytes.Length - data != elements * size)
        {
            throw new InvalidInputException($"{name} declares shape ({string.Join(", ", shape)}) of '{type}' ({elements * size} bytes) but holds {bytes.Length - data}.");
        }
        var values = new float[elements];
        for (long i = 0; i < elements; i++)
        {
            values[i] = read(bytes, data + i * size);
        }
        return new NpyArray(shape, values, integer);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex Fortran();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
