using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
/// tensor name to its dtype, shape and [begin, end) offsets in the data section, then the data section.
/// The reader enforces every rule of the published format, including that the tensors cover the data section
/// exactly, without holes or overlaps.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>The largest header accepted; the reference implementation uses the same bound.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private static readonly (string Name, TensorDType DType)[] DTypeNames =
    [
        ("F32", TensorDType.Float32), ("F16", TensorDType.Float16), ("BF16", TensorDType.BFloat16),
        ("F64", TensorDType.Float64), ("I64", TensorDType.Int64), ("I32", TensorDType.Int32),
        ("I16", TensorDType.Int16), ("I8", TensorDType.Int8), ("U8", TensorDType.UInt8), ("BOOL", TensorDType.Bool),
    ];

    /// <summary>Reads and validates the header of the safetensors file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidInputException">The file breaks a rule of the format; the message names the tensor.</exception>
    public static SafetensorsHeader ReadHeader(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
        {
            throw new InvalidInputException("The safetensors file is too short to hold its 8-byte header length.");
        }

        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(handle, 0, prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
        {
            throw new InvalidInputException(
                $"The safetensors header claims {headerLength} bytes, more than the {MaxHeaderBytes} accepted.");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw new InvalidInputException(
                $"The safetensors header claims {headerLength} bytes but the file holds only {fileLength - 8} after the length.");
        }

        var json = new byte[headerLength];
        ReadExactly(handle, 8, json);
        return ParseHeader(json, fileLength);
    }

    /// <summary>Reads one tensor's raw little-endian bytes.</summary>
    /// <param name="path">The safetensors file the header was read from.</param>
    /// <param name="tensor">A tensor of the header <see cref="ReadHeader"/> returned for that file.</param>
    /// <param name="maxBytes">The largest tensor the caller accepts.</param>
    /// <exception cref="InvalidInputException">The tensor is too large or the file has shrunk since.</exception>
    public static byte[] ReadBytes(string path, SafetensorsTensorInfo tensor, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.ByteLength > maxBytes || tensor.ByteLength > Array.MaxLength)
        {
            throw new InvalidInputException(
                $"Tensor '{tensor.Name}' holds {tensor.ByteLength} bytes, more than the {Math.Min(maxBytes, Array.MaxLength)} accepted.");
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (tensor.FileOffset < 0 || tensor.FileOffset > RandomAccess.GetLength(handle) - tensor.ByteLength)
        {
            throw new InvalidInputException($"Tensor '{tensor.Name}' lies beyond the end of the safetensors file.");
        }

        var bytes = new byte[tensor.ByteLength];
        ReadExactly(handle, tensor.FileOffset, bytes);
        return bytes;
    }

    /// <summary>Reads one tensor converted to float32 (see <see cref="FloatCodec.DecodeFloats"/>).</summary>
    /// <exception cref="InvalidInputException">The tensor has more than <paramref name="maxElements"/> elements.</exception>
    public static float[] ReadAsFloat32(string path, SafetensorsTensorInfo tensor, long maxElements)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.ElementCount > maxElements)
        {
            throw new InvalidInputException(
                $"Tensor '{tensor.Name}' has {tensor.ElementCount} elements, more than the {maxElements} accepted.");
        }

        return FloatCodec.DecodeFloats(ReadBytes(path, tensor, long.MaxValue), tensor.DType);
    }

    /// <summary>
    /// Writes a safetensors file: tensors in the given order, packed without gaps, header padded with spaces to
    /// a multiple of 8 bytes so the data section stays aligned.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty, reserved or repeated, or a tensor's data does not match its shape.</exception>
    public static void Write(Stream output, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            if (string.IsNullOrEmpty(tensor.Name) || tensor.Name == MetadataKey || !names.Add(tensor.Name))
            {
                throw new ArgumentException($"Tensor name '{tensor.Name}' is empty, reserved or repeated.", nameof(tensors));
            }

            long expected = ExpectedBytes(tensor.Shape, tensor.DType)
                ?? throw new ArgumentException($"Tensor '{tensor.Name}' has a negative or too large shape.", nameof(tensors));
            if (expected != tensor.Data.Length)
            {
                throw new ArgumentException(
                    $"Tensor '{tensor.Name}' has {tensor.Data.Length} bytes but its shape and dtype need {expected}.", nameof(tensors));
            }
        }

        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var tensor in tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", DTypeName(tensor.DType));
                json.WriteStartArray("shape");
                foreach (long dim in tensor.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + tensor.Data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += tensor.Data.Length;
            }

            json.WriteEndObject();
        }

        while (header.Length % 8 != 0)
        {
            header.WriteByte((byte)' ');
        }

        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        output.Write(prefix);
        header.Position = 0;
        header.CopyTo(output);
        foreach (var tensor in tensors)
        {
            output.Write(tensor.Data);
        }
    }

    /// <summary>The format's name for <paramref name="dtype"/> ("F32", "BF16", ...).</summary>
    public static string DTypeName(TensorDType dtype) =>
        DTypeNames.First(pair => pair.DType == dtype).Name;

    private static SafetensorsHeader ParseHeader(byte[] json, long fileLength)
    {
        if (!Utf8.IsValid(json))
        {
            throw new InvalidInputException("The safetensors header is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidInputException($"The safetensors header is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidInputException("The safetensors header is not a JSON object.");
            }

            long dataLength = fileLength - 8 - json.Length;
            var names = new HashSet<string>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<(SafetensorsTensorInfo Info, long Begin, long End)>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new InvalidInputException($"The safetensors header lists '{property.Name}' twice.");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata);
                    continue;
                }

                tensors.Add(ReadTensor(property.Name, property.Value, 8 + json.Length, dataLength));
            }

            CheckCoverage(tensors, dataLength);
            var ordered = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).Select(t => t.Info).ToList();
            return new SafetensorsHeader(ordered, metadata, json.Length);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException("The safetensors __metadata__ is not a JSON object.");
        }

        foreach (var pair in value.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidInputException($"The safetensors __metadata__ value of '{pair.Name}' is not a string.");
            }

            if (!metadata.TryAdd(pair.Name, pair.Value.GetString()!))
            {
                throw new InvalidInputException($"The safetensors __metadata__ lists '{pair.Name}' twice.");
            }
        }
    }

    private static (SafetensorsTensorInfo Info, long Begin, long End) ReadTensor(string name, JsonElement value, long dataStart, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException($"Tensor '{name}': its header entry is not a JSON object.");
        }

        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new InvalidInputException($"Tensor '{name}': dtype is missing or not a string.");
        }

        string dtypeName = dtypeElement.GetString()!;
        var dtype = DTypeNames.FirstOrDefault(pair => pair.Name == dtypeName).DType;
        if (!DTypeNames.Any(pair => pair.Name == dtypeName))
        {
            throw new InvalidInputException(
                $"Tensor '{name}': unknown dtype '{dtypeName}' (known: {string.Join(", ", DTypeNames.Select(p => p.Name))}).");
        }

        long[] shape = ReadIntegers(name, value, "shape", expectedCount: null);
        long[] offsets = ReadIntegers(name, value, "data_offsets", expectedCount: 2);
        long begin = offsets[0], end = offsets[1];
        if (begin > end)
        {
            throw new InvalidInputException($"Tensor '{name}': data_offsets [{begin}, {end}] end before they begin.");
        }

        if (end > dataLength)
        {
            throw new InvalidInputException(
                $"Tensor '{name}': data_offsets [{begin}, {end}] are out of range of the {dataLength}-byte data section.");
        }

        long expected = ExpectedBytes(shape, dtype)
            ?? throw new InvalidInputException($"Tensor '{name}': shape [{string.Join(", ", shape)}] is too large.");
        if (end - begin != expected)
        {
            throw new InvalidInputException(
                $"Tensor '{name}': data_offsets span {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtypeName} needs {expected}.");
        }

        return (new SafetensorsTensorInfo(name, dtype, shape, dataStart + begin, end - begin), begin, end);
    }

    private static long[] ReadIntegers(string name, JsonElement value, string field, int? expectedCount)
    {
        if (!value.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array
            || (expectedCount is { } count && array.GetArrayLength() != count))
        {
            string what = expectedCount is { } n ? $"an array of {n} integers" : "an array of integers";
            throw new InvalidInputException($"Tensor '{name}': {field} is missing or not {what}.");
        }

        var result = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long number))
            {
                throw new InvalidInputException($"Tensor '{name}': {field} holds '{item.GetRawText()}', which is not an integer.");
            }

            if (number < 0)
            {
                throw new InvalidInputException($"Tensor '{name}': {field} holds the negative value {number}.");
            }

            result[i++] = number;
        }

        return result;
    }

    private static void CheckCoverage(List<(SafetensorsTensorInfo Info, long Begin, long End)> tensors, long dataLength)
    {
        // The format requires the tensors to tile the data section exactly: no byte unused, none shared.
        long covered = 0;
        string previous = "the start of the data section";
        foreach (var (info, begin, end) in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (begin < covered)
            {
                throw new InvalidInputException($"Tensor '{info.Name}' overlaps {previous} in the data section.");
            }

            if (begin > covered)
            {
                throw new InvalidInputException(
                    $"Tensor '{info.Name}' starts at {begin}, leaving a hole after {previous} (bytes {covered}..{begin}); " +
                    "the format requires the data section to be covered without holes.");
            }

            covered = end;
            previous = $"tensor '{info.Name}'";
        }

        if (covered != dataLength)
        {
            throw new InvalidInputException(
                $"The safetensors data section has {dataLength - covered} bytes after {previous} that no tensor covers; " +
                "the format requires the data section to be covered without holes.");
        }
    }

    private static long? ExpectedBytes(long[] shape, TensorDType dtype)
    {
        try
        {
            long count = 1;
            foreach (long dim in shape)
            {
                if (dim < 0)
                {
                    return null;
                }

                count = checked(count * dim);
            }

            return checked(count * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long offset, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                throw new InvalidInputException("The safetensors file ended before the bytes its header promises.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
