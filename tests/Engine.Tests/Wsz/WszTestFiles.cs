using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Coding;
using WeightShare.Engine.Sharing;
using WeightShare.Engine.Wsz;
using WeightShare.Engine.Tensors;

namespace WeightShare.Engine.Tests.Wsz;

/// <summary>Locates shared tensors in the fixtures the way a checkpoint reader would, for the .wsz tests.</summary>
internal static class WszTestFiles
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    /// <summary>The safetensors fixture's tensors with two or more dimensions, as segments in file order.</summary>
    public static List<WszSegment> SafetensorsSegments(byte[] file)
    {
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, (int)headerLength));
        var segments = new List<WszSegment>();
        foreach (var tensor in header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
        {
            var shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Length < 2)
            {
                continue;
            }

            Assert.Equal("F32", tensor.Value.GetProperty("dtype").GetString());
            long start = tensor.Value.GetProperty("data_offsets")[0].GetInt64();
            segments.Add(new WszSegment(tensor.Name, 8 + headerLength + start, shape.Aggregate(1L, (a, b) => a * b), TensorDType.Float32));
        }

        return segments.OrderBy(s => s.FileOffset).ToList();
    }

    /// <summary>The float32 elements of every segment, concatenated in segment order.</summary>
    public static float[] Weights(byte[] file, IEnumerable<WszSegment> segments) =>
        segments.SelectMany(s => Enumerable.Range(0, (int)s.ElementCount)
            .Select(i => BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan((int)(s.FileOffset + (4 * i)), 4)))).ToArray();

    /// <summary>The paper's codebook for k uniform bins, and each weight's index.</summary>
    public static (float[] Codebook, ushort[] Indices) Share(float[] weights, int k)
    {
        var bins = WeightBins.Assign(weights, k);
        return (Codebook.FromBins(bins).Values, WeightSharing.Indices(bins));
    }

    /// <summary>Writes then reads back, as a download would travel.</summary>
    public static WszContent RoundTrip(WszContent content, out byte[] wszBytes)
    {
        using var buffer = new MemoryStream();
        WszWriter.Write(buffer, content);
        wszBytes = buffer.ToArray();
        return WszReader.Read(new MemoryStream(wszBytes));
    }

    /// <summary>A paper-codec .wsz content for a codebook and one index per segment element, Huffman-coded as the codec does.</summary>
    public static WszContent Build(byte[] original, string format, string name, IReadOnlyList<WszSegment> segments, IReadOnlyList<WszCrcFixup> fixups, float[] codebook, ushort[] indices)
    {
        var frequencies = new long[codebook.Length];
        foreach (var index in indices)
        {
            frequencies[index]++;
        }

        var lengths = CanonicalHuffman.CodeLengths(frequencies);
        var block = new PaperBlock(codebook, lengths, CanonicalHuffman.Encode(indices, lengths));
        var values = indices.Select(i => codebook[i]).ToArray();
        return WszBuilder.Build(original, format, name, segments, fixups, PaperCodec.CodecId, block.ToBytes(), values);
    }

    /// <summary>The paper codec's block of <paramref name="content"/>, parsed.</summary>
    public static PaperBlock Paper(WszContent content) => PaperBlock.Parse(content.CodecBlock, content.SymbolCount);
}
