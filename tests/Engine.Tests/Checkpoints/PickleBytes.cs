using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace WeightShare.Engine.Tests.Checkpoints;

/// <summary>Hand-assembles pickles opcode by opcode, and zips them, for the hostile-input tests.</summary>
internal sealed class PickleBytes
{
    private readonly List<byte> _bytes = [];

    public PickleBytes Op(params int[] opcodes)
    {
        foreach (int opcode in opcodes)
        {
            _bytes.Add(checked((byte)opcode));
        }

        return this;
    }

    public PickleBytes Proto() => Op(0x80, 2);

    public PickleBytes Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    public PickleBytes Str(string value)
    {
        byte[] text = Encoding.UTF8.GetBytes(value);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, text.Length);
        return Op('X').Raw(length).Raw(text);
    }

    public PickleBytes Int(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return Op(0x8a, 8).Raw(bytes);
    }

    public PickleBytes Ints(params long[] values)
    {
        Op('(');
        foreach (long value in values)
        {
            Int(value);
        }

        return Op('t');
    }

    public PickleBytes Raw(byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>A state_dict pickle as torch.save writes it, with every field of each tensor chosen by the test.</summary>
    public static byte[] StateDict(params TestTensor[] tensors)
    {
        var pickle = new PickleBytes().Proto().Global("collections", "OrderedDict").Op(')', 'R', '(');
        foreach (TestTensor tensor in tensors)
        {
            pickle.Str(tensor.Name).Global("torch._utils", "_rebuild_tensor_v2").Op('(', '(')
                .Str("storage").Global("torch", tensor.StorageType).Str(tensor.Key).Str("cpu").Int(tensor.StorageElements)
                .Op('t', 'Q').Int(tensor.Offset).Ints(tensor.Size).Ints(tensor.Stride).Op(0x89)
                .Global("collections", "OrderedDict").Op(')', 'R', 't', 'R');
        }

        return pickle.Op('u', '.').ToArray();
    }

    /// <summary>Writes a zip whose entries are stored uncompressed as torch.save stores them, except those named in <paramref name="deflated"/>.</summary>
    public static string WriteZip(
        string directory, string fileName, IReadOnlyDictionary<string, byte[]> entries, IReadOnlySet<string>? deflated = null)
    {
        string path = Path.Combine(directory, fileName);
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, data) in entries)
        {
            using Stream stream = zip.CreateEntry(
                name, deflated?.Contains(name) == true ? CompressionLevel.Optimal : CompressionLevel.NoCompression).Open();
            stream.Write(data);
        }

        return path;
    }

    /// <summary>The bytes of one entry of a fixture archive, read with System.IO.Compression (not the code under test).</summary>
    public static byte[] ReadFixtureEntry(string fixture, string entryName)
    {
        using ZipArchive zip = ZipFile.OpenRead(PickleFixtures.Path(fixture));
        using Stream stream = zip.GetEntry(entryName)!.Open();
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}

/// <summary>One tensor of <see cref="PickleBytes.StateDict"/>.</summary>
internal sealed record TestTensor(string Name, string StorageType, string Key, long StorageElements, long Offset, long[] Size, long[] Stride);

/// <summary>Paths of the committed fixtures as copied to the test output.</summary>
internal static class PickleFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures", name);
}
