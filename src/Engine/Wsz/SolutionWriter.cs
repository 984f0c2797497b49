using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;

namespace WeightShare.Engine.Wsz;

/// <summary>
/// Writes a solution's two files: the .wsz (the codec's block, the shared values' segments and the compressed residual
/// of the source file) and the checkpoint in the uploaded format with the shared and tuned values patched in. Both are
/// written beside their destination and moved into place, so a crash never leaves half a file under the final name.
/// </summary>
/// <param name="sourcePath">The file both are made from: the upload, or its copy without TorchScript debug tables.</param>
/// <param name="layout">Where every tensor sits in <paramref name="sourcePath"/>.</param>
/// <param name="modelFileName">The file name the .wsz records.</param>
/// <param name="shared">The shared tensors, in shared-vector order.</param>
/// <param name="small">The unshared parameters a solution may tune.</param>
/// <param name="codec">The codec whose block the .wsz holds.</param>
public sealed class SolutionWriter(string sourcePath, CheckpointLayout layout, string modelFileName, IReadOnlyList<SharedTensor> shared, IReadOnlyList<SharedTensor> small, WeightCodec codec)
{
    private static readonly IReadOnlyDictionary<string, float[]> NoSmall = new Dictionary<string, float[]>();
    private long? _fixedBytes;

    /// <summary>
    /// Bytes of the .wsz file a codec block of <paramref name="blockBytes"/> bytes is written to, without writing it:
    /// the block and everything around it (header, segments, the compressed residual of the uploaded file).
    /// </summary>
    public long FileBytes(long blockBytes, float[] uploadedValues)
    {
        _fixedBytes ??= WszWriter.Length(Build([], uploadedValues, NoSmall));
        return _fixedBytes.Value + blockBytes;
    }

    /// <summary>Writes the .wsz of <paramref name="block"/> to <paramref name="compressedPath"/> and the checkpoint to <paramref name="checkpointPath"/>.</summary>
    /// <param name="block">The codec's block.</param>
    /// <param name="values">The shared weights the block decodes to, in shared-vector order.</param>
    /// <param name="tuned">Tuned small parameters by name (null: the uploaded ones).</param>
    /// <param name="compressedPath">Where the .wsz goes.</param>
    /// <param name="checkpointPath">Where the checkpoint goes.</param>
    public void Write(byte[] block, float[] values, IReadOnlyDictionary<string, float[]>? tuned, string compressedPath, string checkpointPath)
    {
        tuned ??= NoSmall;
        WriteAtomically(compressedPath, output => WszWriter.Write(output, Build(block, values, tuned)));
        var patches = new List<BytePatch>();
        var offset = 0;
        foreach (var tensor in shared)
        {
            var count = (int)tensor.ElementCount;
            patches.Add(new BytePatch(tensor.FileOffset, FloatCodec.EncodeFloats(values.AsSpan(offset, count), tensor.DType)));
            offset += count;
        }
        patches.AddRange(SmallPatches(tuned));
        patches.Sort((a, b) => a.FileOffset.CompareTo(b.FileOffset));
        WriteAtomically(checkpointPath, output => CheckpointPatcher.Write(sourcePath, patches, layout.ZipEntries.Count == 0 ? null : layout.ZipEntries, output));
    }

    /// <summary>The name the .wsz format writes for a checkpoint format.</summary>
    public static string FormatName(CheckpointFormat format) => format switch
    {
        CheckpointFormat.TorchScript => "torchscript",
        CheckpointFormat.PyTorch => "pytorch",
        CheckpointFormat.Onnx => "onnx",
        _ => "safetensors",
    };

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var temporary = path + ".partial";
        using (var output = File.Create(temporary))
        {
            write(output);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// The .wsz content for a codec block whose weights are <paramref name="values"/>, with tuned small parameters
    /// written into the residual (their zip entries' CRCs are recomputed on decoding, like the shared ones').
    /// </summary>
    private WszContent Build(byte[] block, ReadOnlySpan<float> values, IReadOnlyDictionary<string, float[]> tuned)
    {
        var original = File.ReadAllBytes(sourcePath);
        foreach (var patch in SmallPatches(tuned))
        {
            patch.Bytes.Span.CopyTo(original.AsSpan((int)patch.FileOffset));
        }
        var segments = shared.Select(s => new WszSegment(s.Name, s.FileOffset, s.ElementCount, s.DType) { Shape = s.Shape }).ToArray();
        var touched = shared.Concat(small.Where(s => tuned.ContainsKey(s.Name))).ToArray();
        return WszBuilder.Build(original, FormatName(layout.Format), modelFileName, segments, CrcFixups(touched), codec.Id, block, values, codec.ResidualCoding);
    }

    private IEnumerable<BytePatch> SmallPatches(IReadOnlyDictionary<string, float[]> tuned) => small
        .Where(s => tuned.ContainsKey(s.Name))
        .Select(s => new BytePatch(s.FileOffset, FloatCodec.EncodeFloats(tuned[s.Name], s.DType)));

    // Zip entries holding replaced tensors need their CRC-32 recomputed once the values change.
    private WszCrcFixup[] CrcFixups(IReadOnlyList<SharedTensor> touched) => layout.ZipEntries
        .Where(e => touched.Any(s => s.FileOffset >= e.DataOffset && s.FileOffset < e.DataOffset + e.CompressedSize))
        .Select(e => new WszCrcFixup(e.DataOffset, e.CompressedSize, CrcFields(e)))
        .ToArray();

    // PyTorch leaves the local header's CRC at zero and writes it in a data descriptor; only real fields are patched.
    private static long[] CrcFields(ZipEntryInfo entry)
    {
        var fields = new List<long> { entry.CentralCrcFieldOffset };
        if (entry.LocalHeaderHasCrc)
        {
            fields.Add(entry.LocalCrcFieldOffset);
        }
        if (entry.DataDescriptorCrcOffset is { } descriptor)
        {
            fields.Add(descriptor);
        }
        return fields.ToArray();
    }
}
