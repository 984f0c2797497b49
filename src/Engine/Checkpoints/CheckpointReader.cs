using System.Buffers.Binary;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Checkpoints;

/// <summary>Reads any supported checkpoint file, detecting its format from its content rather than its name.</summary>
public static class CheckpointReader
{
    private static readonly string[] BatchNormBuffers = ["running_mean", "running_var", "num_batches_tracked"];

    // How many leading bytes tell the formats apart.
    private const int HeadLength = 9;

    private enum Container
    {
        Zip,
        Safetensors,
        Onnx,
    }

    /// <summary>Detects the format of the file at <paramref name="path"/> and reads where each tensor is.</summary>
    /// <exception cref="InvalidInputException">The file is not a valid TorchScript, PyTorch, safetensors or ONNX checkpoint.</exception>
    public static CheckpointLayout Read(string path)
    {
        Span<byte> head = stackalloc byte[HeadLength];
        long length;
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            length = file.Length;
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        switch (ContainerOf(head[..read], length))
        {
            case Container.Zip:
                using (ZipContainer zip = ZipContainer.Open(path))
                {
                    var format = PyTorchZipReader.IsTorchScript(zip) ? CheckpointFormat.TorchScript : CheckpointFormat.PyTorch;
                    return PyTorchZipReader.Read(zip, format);
                }
            case Container.Safetensors:
                SafetensorsHeader header = SafetensorsFile.ReadHeader(path);
                var tensors = header.Tensors
                    .Select(t => new StoredTensor(t.Name, t.DType, t.Shape, t.ElementCount, t.FileOffset, IsContiguous: true, StorageKey: null))
                    .ToList();
                return new CheckpointLayout(CheckpointFormat.Safetensors, length, tensors, []);
            case Container.Onnx:
                return OnnxReader.Read(path);
            default:
                throw Unsupported(head[..read]);
        }
    }

    /// <summary>
    /// Refuses, as <see cref="Read"/> would, a file whose first bytes (at least nine, fewer only when the file is
    /// shorter) no accepted format starts with, so an upload can be refused before the rest of it arrives.
    /// Bytes that pass may still be refused by <see cref="Read"/>.
    /// </summary>
    /// <exception cref="UnsupportedFormatException">No accepted format starts so.</exception>
    public static void CheckHead(ReadOnlySpan<byte> head)
    {
        if (ContainerOf(head, long.MaxValue) is null)
        {
            throw Unsupported(head);
        }
    }

    private static Container? ContainerOf(ReadOnlySpan<byte> head, long length)
    {
        if (head.Length >= 4 && head[..4].SequenceEqual("PK\u0003\u0004"u8))
        {
            return Container.Zip;
        }

        if (head.Length >= HeadLength && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) <= (ulong)(length - 8))
        {
            return Container.Safetensors;
        }

        // A serialized ModelProto starts with its first field, ir_version (field 1, varint): tag byte 0x08.
        return head.Length >= 2 && head[0] == 0x08 ? Container.Onnx : null;
    }

    private static UnsupportedFormatException Unsupported(ReadOnlySpan<byte> head) => new(head.Length >= 2 && head[0] == 0x80
        ? "The file is not a TorchScript, PyTorch, safetensors or ONNX file: it looks like the legacy (before PyTorch 1.6) " +
          "torch.save format; save it again with a current PyTorch."
        : "The file is not a TorchScript, PyTorch, safetensors or ONNX file.");

    /// <summary>The headline figures of a checkpoint.</summary>
    public static CheckpointSummary Summarize(CheckpointLayout layout)
    {
        long parameters = 0;
        long shared = 0;
        foreach (StoredTensor tensor in layout.Tensors)
        {
            string leaf = tensor.Name[(tensor.Name.LastIndexOf('.') + 1)..];
            if (!BatchNormBuffers.Contains(leaf))
            {
                parameters += tensor.ElementCount;
            }

            if (tensor.DType.IsFloatingPoint() && tensor.Shape.Length >= 2)
            {
                shared += tensor.ElementCount;
            }
        }

        return new CheckpointSummary(
            layout.Format, layout.Tensors.Count, parameters, shared, CanEvaluate: layout.Format is CheckpointFormat.TorchScript or CheckpointFormat.Onnx);
    }

    /// <summary>
    /// Reads the raw little-endian bytes of one contiguous tensor of the checkpoint at <paramref name="path"/>
    /// (whose layout <see cref="Read"/> returned), decompressing its storage when needed.
    /// </summary>
    /// <exception cref="InvalidInputException">
    /// The tensor is larger than <paramref name="maxBytes"/>, not contiguous, or the file changed since it was read.
    /// </exception>
    public static byte[] ReadTensorBytes(string path, CheckpointLayout layout, StoredTensor tensor, long maxBytes)
    {
        if (tensor.ByteLength > maxBytes)
        {
            throw new InvalidInputException($"Tensor '{tensor.Name}' holds {tensor.ByteLength} bytes, more than the {maxBytes} allowed.");
        }

        if (!tensor.IsContiguous)
        {
            throw new InvalidInputException($"Tensor '{tensor.Name}' is not contiguous; reading such views is not supported.");
        }

        if (tensor.FileOffset >= 0)
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (file.Length != layout.FileLength || tensor.FileOffset + tensor.ByteLength > file.Length)
            {
                throw new InvalidInputException("The checkpoint file changed since it was read.");
            }

            var bytes = new byte[tensor.ByteLength];
            file.Position = tensor.FileOffset;
            file.ReadExactly(bytes);
            return bytes;
        }

        if (tensor.StorageKey is null)
        {
            throw new InvalidInputException($"Tensor '{tensor.Name}' has no location in the file.");
        }

        using ZipContainer zip = ZipContainer.Open(path);
        string entryName = $"{PyTorchZipReader.FindArchivePrefix(zip.Entries)}data/{tensor.StorageKey}";
        byte[] storage = zip.ReadEntry(entryName, maxBytes);
        long start = tensor.StorageOffset * tensor.DType.ElementSize();
        if (start + tensor.ByteLength > storage.Length)
        {
            throw new InvalidInputException($"The storage of tensor '{tensor.Name}' is smaller than the tensor.");
        }

        return storage.AsSpan((int)start, (int)tensor.ByteLength).ToArray();
    }
}
