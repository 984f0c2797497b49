using System.Buffers.Binary;
using System.Text;
using WeightShare.Engine.Tensors;

using WeightShare.Engine.Checkpoints;

namespace WeightShare.Engine.Tests.Checkpoints;

/// <summary>
/// Writes a checkpoint the way <c>torch.save(OrderedDict)</c> does: a zip of stored (uncompressed) entries
/// <c>archive/data.pkl</c> (a protocol 2 pickle of _rebuild_tensor_v2 calls), <c>archive/data/&lt;key&gt;</c> (one storage
/// per tensor) and <c>archive/version</c>, each entry's data aligned to 64 bytes as PyTorch aligns it.
/// </summary>
public static class StateDictWriter
{
    private const string Prefix = "archive/";
    private const int Alignment = 64;
    private const ushort PaddingFieldId = 0x4246; // "FB", the extra field id PyTorch's writer pads with.

    /// <summary>Writes <paramref name="tensors"/> (raw little-endian bytes, row-major) as a state_dict checkpoint.</summary>
    /// <param name="output">Where the archive goes; written from its current position, forward only.</param>
    /// <param name="tensors">The tensors in state_dict order.</param>
    /// <exception cref="ArgumentException">A name is empty or repeated, or a tensor's data does not match its shape.</exception>
    public static void Write(Stream output, IReadOnlyList<(string Name, TensorDType DType, long[] Shape, byte[] Data)> tensors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, dtype, shape, data) in tensors)
        {
            if (string.IsNullOrEmpty(name) || !names.Add(name))
            {
                throw new ArgumentException($"Tensor name '{name}' is empty or repeated.", nameof(tensors));
            }

            long count = shape.Aggregate(1L, (product, size) => size >= 0
                ? checked(product * size)
                : throw new ArgumentException($"Tensor '{name}' has a negative size.", nameof(tensors)));
            if (checked(count * dtype.ElementSize()) != data.Length)
            {
                throw new ArgumentException($"Tensor '{name}' has {data.Length} bytes, not the {count * dtype.ElementSize()} its shape needs.", nameof(tensors));
            }
        }

        using var zip = new ZipWriter(output);
        zip.Add(Prefix + "data.pkl", BuildPickle(tensors));
        for (int i = 0; i < tensors.Count; i++)
        {
            zip.Add($"{Prefix}data/{i}", tensors[i].Data);
        }

        zip.Add(Prefix + "version", "3\n"u8.ToArray());
        zip.Finish();
    }

    private static byte[] BuildPickle(IReadOnlyList<(string Name, TensorDType DType, long[] Shape, byte[] Data)> tensors)
    {
        var pickle = new MemoryStream();
        pickle.Write([0x80, 2]); // PROTO 2
        WriteGlobal(pickle, "collections", "OrderedDict");
        pickle.Write(")R("u8); // EMPTY_TUPLE REDUCE MARK
        for (int i = 0; i < tensors.Count; i++)
        {
            var (name, dtype, shape, data) = tensors[i];
            long count = data.Length / dtype.ElementSize();
            WriteString(pickle, name);
            WriteGlobal(pickle, "torch._utils", "_rebuild_tensor_v2");
            pickle.Write("(("u8);
            WriteString(pickle, "storage");
            WriteGlobal(pickle, "torch", StorageTypeName(dtype));
            WriteString(pickle, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteString(pickle, "cpu");
            WriteInteger(pickle, count);
            pickle.Write("tQ"u8); // TUPLE BINPERSID
            WriteInteger(pickle, 0);
            WriteIntegerTuple(pickle, shape);
            WriteIntegerTuple(pickle, ContiguousStrides(shape));
            pickle.WriteByte(0x89); // NEWFALSE: requires_grad
            WriteGlobal(pickle, "collections", "OrderedDict"); // the (empty) backward hooks
            pickle.Write(")Rt"u8);
            pickle.WriteByte((byte)'R');
        }

        pickle.Write("u."u8); // SETITEMS STOP
        return pickle.ToArray();
    }

    private static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }

        return strides;
    }

    private static string StorageTypeName(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "FloatStorage",
        TensorDType.Float16 => "HalfStorage",
        TensorDType.BFloat16 => "BFloat16Storage",
        TensorDType.Float64 => "DoubleStorage",
        TensorDType.Int64 => "LongStorage",
        TensorDType.Int32 => "IntStorage",
        TensorDType.Int16 => "ShortStorage",
        TensorDType.Int8 => "CharStorage",
        TensorDType.UInt8 => "ByteStorage",
        TensorDType.Bool => "BoolStorage",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    private static void WriteGlobal(Stream pickle, string module, string name)
    {
        pickle.WriteByte((byte)'c');
        pickle.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    private static void WriteString(Stream pickle, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> header = stackalloc byte[5];
        header[0] = (byte)'X'; // BINUNICODE
        BinaryPrimitives.WriteInt32LittleEndian(header[1..], bytes.Length);
        pickle.Write(header);
        pickle.Write(bytes);
    }

    private static void WriteInteger(Stream pickle, long value)
    {
        Span<byte> buffer = stackalloc byte[10];
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            buffer[0] = (byte)'J'; // BININT
            BinaryPrimitives.WriteInt32LittleEndian(buffer[1..], (int)value);
            pickle.Write(buffer[..5]);
        }
        else
        {
            buffer[0] = 0x8a; // LONG1 with 8 two's-complement bytes
            buffer[1] = 8;
            BinaryPrimitives.WriteInt64LittleEndian(buffer[2..], value);
            pickle.Write(buffer);
        }
    }

    private static void WriteIntegerTuple(Stream pickle, long[] values)
    {
        pickle.WriteByte((byte)'(');
        foreach (long value in values)
        {
            WriteInteger(pickle, value);
        }

        pickle.WriteByte((byte)'t');
    }

    /// <summary>A forward-only writer of stored zip entries; no ZIP64, which state_dicts below 4 GB never need.</summary>
    private sealed class ZipWriter(Stream output) : IDisposable
    {
        private readonly MemoryStream _central = new();
        private long _position;
        private int _count;

        public void Dispose() => _central.Dispose();

        public void Add(string name, byte[] data)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            long headerOffset = _position;
            int padding = (int)((Alignment - ((headerOffset + 30 + nameBytes.Length) % Alignment)) % Alignment);
            if (padding is > 0 and < 4)
            {
                // An extra field needs 4 bytes for its id and length.
                padding += Alignment;
            }

            if (checked(headerOffset + 30 + nameBytes.Length + padding + data.Length) > uint.MaxValue)
            {
                throw new ArgumentException("The checkpoint would exceed 4 GB, which this writer does not support.");
            }

            uint crc = Crc32.Compute(data);
            var local = new byte[30 + nameBytes.Length + padding];
            BinaryPrimitives.WriteUInt32LittleEndian(local, 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(4), 20); // version needed
            FillCommon(local.AsSpan(6), crc, data.Length, nameBytes.Length, padding);
            nameBytes.CopyTo(local, 30);
            if (padding > 0)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(30 + nameBytes.Length), PaddingFieldId);
                BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(32 + nameBytes.Length), (ushort)(padding - 4));
            }

            output.Write(local);
            output.Write(data);
            _position += local.Length + data.Length;

            var central = new byte[46 + nameBytes.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(central, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(central.AsSpan(4), 20); // version made by
            BinaryPrimitives.WriteUInt16LittleEndian(central.AsSpan(6), 20); // version needed
            FillCommon(central.AsSpan(8), crc, data.Length, nameBytes.Length, extraLength: 0);
            BinaryPrimitives.WriteUInt32LittleEndian(central.AsSpan(42), (uint)headerOffset);
            nameBytes.CopyTo(central, 46);
            _central.Write(central);
            _count++;
        }

        public void Finish()
        {
            if (_count > ushort.MaxValue)
            {
                throw new ArgumentException("The checkpoint has more entries than a zip without ZIP64 can hold.");
            }

            long centralOffset = _position;
            output.Write(_central.GetBuffer().AsSpan(0, (int)_central.Length));
            var end = new byte[22];
            BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
            BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)_count);
            BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)_count);
            BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)_central.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), checked((uint)centralOffset));
            output.Write(end);
            output.Flush();
        }

        // From the flags field on: flags, method (stored), DOS time and date (zero, as PyTorch writes), CRC, sizes, name and extra lengths.
        private static void FillCommon(Span<byte> span, uint crc, int size, int nameLength, int extraLength)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[8..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)size);
            BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)size);
            BinaryPrimitives.WriteUInt16LittleEndian(span[20..], (ushort)nameLength);
            BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)extraLength);
        }
    }
}
