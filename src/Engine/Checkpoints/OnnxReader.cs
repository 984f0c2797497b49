using System.Text;
using Google.Protobuf;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// Reads where the initializers (the weights) of an ONNX model lie in its file, walking the protobuf ModelProto by
/// field number: ModelProto.graph (7), GraphProto.initializer (5) and the TensorProto fields. Every length is checked
/// against the bytes left in its enclosing message before anything is read, so a hostile file cannot make it allocate
/// more than a name's worth of memory per field.
/// </summary>
public static class OnnxReader
{
    /// <summary>The most initializers a model may have.</summary>
    public const int MaxInitializers = 1_000_000;

    private const int MaxDims = 64;
    private const int MaxNameBytes = 64 * 1024;

    private const int ModelGraph = 7;
    private const int GraphInitializer = 5;

    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorFloatData = 4;
    private const int TensorInt32Data = 5;
    private const int TensorInt64Data = 7;
    private const int TensorName = 8;
    private const int TensorRawData = 9;
    private const int TensorDoubleData = 10;
    private const int TensorUInt64Data = 11;
    private const int TensorExternalData = 13;
    private const int TensorDataLocation = 14;
    private const int DataLocationExternal = 1;

    /// <summary>Reads the initializers of the ONNX model at <paramref name="path"/>.</summary>
    /// <returns>
    /// A layout whose tensors are the main graph's initializers, in file order. A tensor's <see cref="StoredTensor.FileOffset"/>
    /// is where its little-endian elements start (its raw_data, or its packed float_data or double_data), or -1 when its
    /// values are not stored as one run of its own element type (e.g. float16 in int32_data).
    /// </returns>
    /// <exception cref="InvalidInputException">
    /// The file is not a valid ONNX model, keeps its weights in external files, or has an initializer of an element type
    /// not read here.
    /// </exception>
    public static CheckpointLayout Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        long length = file.Length;
        var tensors = new List<StoredTensor>();
        bool hasGraph = false;
        try
        {
            var model = new MessageReader(file, 0, length);
            while (model.Next(out int field, out WireFormat.WireType wire))
            {
                if (field == ModelGraph && wire == WireFormat.WireType.LengthDelimited)
                {
                    var (start, graphLength) = model.Delimited();
                    ReadGraph(file, start, graphLength, tensors);
                    hasGraph = true;
                }
                else
                {
                    model.Skip();
                }
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidInputException($"The file is not a valid ONNX model (a protobuf ModelProto): {e.Message}", e);
        }

        if (!hasGraph)
        {
            throw new InvalidInputException("The file is not an ONNX model: it holds no graph.");
        }

        return new CheckpointLayout(CheckpointFormat.Onnx, length, tensors, []);
    }

    private static void ReadGraph(Stream file, long start, long length, List<StoredTensor> tensors)
    {
        var graph = new MessageReader(file, start, length);
        while (graph.Next(out int field, out WireFormat.WireType wire))
        {
            if (field == GraphInitializer && wire == WireFormat.WireType.LengthDelimited)
            {
                if (tensors.Count == MaxInitializers)
                {
                    throw new InvalidInputException($"The ONNX model has more than {MaxInitializers} initializers.");
                }

                var (tensorStart, tensorLength) = graph.Delimited();
                tensors.Add(ReadTensor(file, tensorStart, tensorLength, tensors.Count));
            }
            else
            {
                graph.Skip();
            }
        }
    }

    private static StoredTensor ReadTensor(Stream file, long start, long length, int index)
    {
        var dims = new List<long>();
        int dataType = 0;
        string? name = null;
        bool external = false;
        (long Start, long Length)? raw = null;
        (long Start, long Length)? typed = null;
        int typedField = 0;
        bool typedScattered = false;

        var tensor = new MessageReader(file, start, length);
        while (tensor.Next(out int field, out WireFormat.WireType wire))
        {
            switch (field, wire)
            {
                case (TensorDims, WireFormat.WireType.Varint):
                    AddDim(dims, tensor.ReadInt64());
                    break;
                case (TensorDims, WireFormat.WireType.LengthDelimited):
                    var (dimsStart, dimsLength) = tensor.Delimited();
                    var packed = new MessageReader(file, dimsStart, dimsLength);
                    while (!packed.IsAtEnd)
                    {
                        AddDim(dims, packed.ReadInt64());
                    }

                    break;
                case (TensorDataType, WireFormat.WireType.Varint):
                    dataType = tensor.ReadInt32();
                    break;
                case (TensorName, WireFormat.WireType.LengthDelimited):
                    name = ReadName(file, tensor.Delimited());
                    break;
                case (TensorRawData, WireFormat.WireType.LengthDelimited):
                    raw = tensor.Delimited();
                    break;
                case (TensorFloatData or TensorDoubleData, WireFormat.WireType.LengthDelimited):
                    // Packed fixed-width values lie back to back, little-endian, as raw_data would hold them; a field
                    // split over several runs cannot be patched as one.
                    typedScattered |= typed is not null;
                    typed = tensor.Delimited();
                    typedField = field;
                    break;
                case (TensorFloatData or TensorDoubleData or TensorInt32Data or TensorInt64Data or TensorUInt64Data, _):
                    // Unpacked values, or varints: no run of the element type in the file.
                    typedScattered = true;
                    tensor.Skip();
                    break;
                case (TensorExternalData, _):
                    external = true;
                    tensor.Skip();
                    break;
                case (TensorDataLocation, WireFormat.WireType.Varint):
                    external |= tensor.ReadInt32() == DataLocationExternal;
                    break;
                default:
                    tensor.Skip();
                    break;
            }
        }

        if (name is null)
        {
            throw new InvalidInputException($"Initializer {index} of the ONNX model has no name.");
        }

        if (external)
        {
            throw new InvalidInputException(
                $"The ONNX file keeps its weights in external files (initializer '{name}' is stored outside it), and only " +
                "the uploaded file is read. Save the model with all weights in the one file, with onnx.save_model(model, " +
                "path, save_as_external_data=False) (ONNX allows up to 2 GB in one file), and upload that.");
        }

        TensorDType dtype = ToDType(dataType, name);
        long count = ElementCount(dims, name);
        long byteLength = count > long.MaxValue / 8
            ? throw new InvalidInputException($"Initializer '{name}' of the ONNX model claims more elements than can be counted.")
            : count * dtype.ElementSize();
        long offset = -1;
        if (raw is { } rawData)
        {
            if (rawData.Length != byteLength)
            {
                throw new InvalidInputException(
                    $"Initializer '{name}' of the ONNX model holds {rawData.Length} bytes of raw data, not the {byteLength} its {count} {dtype} elements need.");
            }

            offset = count > 0 ? rawData.Start : -1;
        }
        else if (typed is { } typedData && !typedScattered && count > 0 && typedData.Length == byteLength &&
                 ((typedField == TensorFloatData && dtype == TensorDType.Float32) ||
                  (typedField == TensorDoubleData && dtype == TensorDType.Float64)))
        {
            offset = typedData.Start;
        }

        return new StoredTensor(name, dtype, [.. dims], count, offset, IsContiguous: true, StorageKey: null);
    }

    private static void AddDim(List<long> dims, long dim)
    {
        if (dims.Count == MaxDims)
        {
            throw new InvalidInputException($"An initializer of the ONNX model has more than {MaxDims} dimensions.");
        }

        dims.Add(dim);
    }

    private static long ElementCount(List<long> dims, string name)
    {
        long count = 1;
        foreach (long dim in dims)
        {
            if (dim < 0)
            {
                throw new InvalidInputException($"Initializer '{name}' of the ONNX model has a negative dimension ({dim}).");
            }

            try
            {
                count = checked(count * dim);
            }
            catch (OverflowException e)
            {
                throw new InvalidInputException($"Initializer '{name}' of the ONNX model claims more elements than can be counted.", e);
            }
        }

        return count;
    }

    private static string ReadName(Stream file, (long Start, long Length) field)
    {
        if (field.Length > MaxNameBytes)
        {
            throw new InvalidInputException($"An initializer name of the ONNX model is {field.Length} bytes long, more than the {MaxNameBytes} accepted.");
        }

        var bytes = new byte[field.Length];
        file.Position = field.Start;
        file.ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    // TensorProto.DataType numbers, from onnx.proto.
    private static TensorDType ToDType(int dataType, string name) => dataType switch
    {
        1 => TensorDType.Float32,
        2 => TensorDType.UInt8,
        3 => TensorDType.Int8,
        5 => TensorDType.Int16,
        6 => TensorDType.Int32,
        7 => TensorDType.Int64,
        9 => TensorDType.Bool,
        10 => TensorDType.Float16,
        11 => TensorDType.Float64,
        16 => TensorDType.BFloat16,
        _ => throw new InvalidInputException(
            $"Initializer '{name}' of the ONNX model has element type {dataType} (onnx.TensorProto.DataType), which is not read here; " +
            "float32, float16, bfloat16, float64 and the signed integer, uint8 and bool types are."),
    };

    /// <summary>
    /// Walks the fields of one message that lies at [start, start + length) of the file. A CodedInputStream has no public
    /// way to enter a nested message, so each one gets its own reader over a window of the file, and after a nested
    /// message (or any field whose bounds are wanted) the reader starts afresh just past it.
    /// </summary>
    private sealed class MessageReader
    {
        private readonly Stream _file;
        private readonly long _end;
        private long _base;
        private CodedInputStream _input;

        public MessageReader(Stream file, long start, long length)
        {
            _file = file;
            _end = start + length;
            _input = Open(start);
        }

        public bool IsAtEnd => _input.IsAtEnd;

        public bool Next(out int field, out WireFormat.WireType wire)
        {
            uint tag = _input.ReadTag();
            field = WireFormat.GetTagFieldNumber(tag);
            wire = WireFormat.GetTagWireType(tag);
            return tag != 0;
        }

        public void Skip() => _input.SkipLastField();

        public long ReadInt64() => _input.ReadInt64();

        public int ReadInt32() => _input.ReadInt32();

        /// <summary>Reads the length prefix of the current length-delimited field and moves past its payload.</summary>
        public (long Start, long Length) Delimited()
        {
            long afterTag = _base + _input.Position;
            long start;
            int length;
            using (var prefix = new CodedInputStream(new FileWindowStream(_file, afterTag, _end - afterTag)))
            {
                length = prefix.ReadLength();
                start = afterTag + prefix.Position;
            }

            // A length prefix of 2^31 or more reads as negative: without this check the reader would jump backwards and loop.
            if (length < 0 || length > _end - start)
            {
                throw new InvalidInputException(
                    $"The file is not a valid ONNX model: a field at offset {start} claims {length} bytes, more than the " +
                    $"{_end - start} left in its message (is the file truncated?).");
            }

            _input.Dispose();
            _input = Open(start + length);
            return (start, length);
        }

        private CodedInputStream Open(long at)
        {
            _base = at;
            return new CodedInputStream(new FileWindowStream(_file, at, _end - at));
        }
    }
}
