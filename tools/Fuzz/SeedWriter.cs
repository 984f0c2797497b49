using System.Buffers.Binary;
using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Coding;
using WeightShare.Engine.Tensors;
using WeightShare.Engine.Wsz;

namespace WeightShare.Fuzz;

/// <summary>
/// Writes the seeds that only the Engine's own writers can make: .wsz files of every codec (and coder, and residual
/// coding), the bare codec blocks in the block harnesses' framing, and streams for the rANS, Huffman and context
/// decoders. Deterministic, so running it again rewrites the committed seeds byte for byte. The seeds of the formats
/// PyTorch and NumPy write come from tools/Fuzz/make_seeds.py.
/// </summary>
internal static class SeedWriter
{
    private static readonly (string Name, long[] Shape)[] Tensors = [("conv.weight", [8, 9]), ("fc.weight", [10, 16]), ("fc.bias", [10])];

    private static readonly (string Seed, string Codec, int[] Genes, Dictionary<string, string> Options)[] Solutions =
    [
        ("paper-k8", "paper", [8], []),
        ("scalar-rans", "scalar", [16, 1, 0, 2, 1, 0], new() { ["coder"] = "rans" }),
        ("scalar-huffman", "scalar", [16, 1, 0, 2, 1, 0], new() { ["coder"] = "huffman", ["residual"] = "deflate" }),
        ("scalar-context", "scalar", [16, 1, 0, 2, 1, 0], new() { ["coder"] = "context" }),
        ("additive-d4", "additive", [4, 1, 4], []),
    ];

    public static void WriteAll(string corpus)
    {
        var random = new Random(26);
        var original = Original(random, out var segments, out var shared);
        foreach (var (seed, codecId, genes, options) in Solutions)
        {
            var codec = CodecRegistry.Default.Create(codecId);
            codec.Configure(options);
            var quantization = codec.Quantize(shared, new SolutionPlan(genes));
            var block = quantization.Encode().Block;
            var values = shared.Values.ToArray();
            quantization.Dequantize(values);
            var content = WszBuilder.Build(original, "safetensors", "model.safetensors", segments, [], codecId, block, values, codec.ResidualCoding);
            using (var file = Create(corpus, "wsz", $"{seed}.wsz"))
            {
                WszWriter.Write(file, content);
            }

            File.WriteAllBytes(Path.Combine(Folder(corpus, $"{codecId}-block"), $"{seed}.bin"), [.. BlockFraming(segments), .. block]);
        }

        var symbols = Symbols(random, 600, 12);
        var counts = new long[12];
        foreach (var symbol in symbols)
        {
            counts[symbol]++;
        }

        WriteRans(corpus, symbols, counts);
        WriteHuffman(corpus, symbols, counts);
        WriteContext(corpus, symbols, counts);
    }

    // A small safetensors model: two weight matrices the codecs share, and a bias they leave in the residual.
    private static byte[] Original(Random random, out List<WszSegment> segments, out SharedWeights shared)
    {
        var tensors = Tensors.Select(t =>
        {
            var data = new byte[t.Shape.Aggregate(1L, (a, b) => a * b) * 4];
            for (var i = 0; i < data.Length; i += 4)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i), (float)(Gaussian(random) * 0.1));
            }

            return new SafetensorsTensor(t.Name, TensorDType.Float32, t.Shape, data);
        }).ToList();
        var path = Path.GetTempFileName();
        try
        {
            using (var file = File.Create(path))
            {
                SafetensorsFile.Write(file, tensors, metadata: null);
            }

            var header = SafetensorsFile.ReadHeader(path);
            var weights = header.Tensors.Where(t => t.Shape.Length >= 2).OrderBy(t => t.FileOffset).ToList();
            segments = weights.Select(t => new WszSegment(t.Name, t.FileOffset, t.ElementCount, t.DType) { Shape = t.Shape }).ToList();
            var values = weights.SelectMany(t => SafetensorsFile.ReadAsFloat32(path, t, t.ElementCount)).ToArray();
            shared = new SharedWeights(weights.Select(t => new SharedTensor(t.Name, t.Shape, t.FileOffset, t.DType)).ToList(), values);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // The segment header CodecBlockTarget reads: count - 1, then per segment rank - 1 and u16 dimensions.
    private static byte[] BlockFraming(List<WszSegment> segments)
    {
        using var bytes = new MemoryStream();
        bytes.WriteByte((byte)(segments.Count - 1));
        foreach (var segment in segments)
        {
            bytes.WriteByte((byte)(segment.Shape.Count - 1));
            foreach (var dimension in segment.Shape)
            {
                WriteUInt16(bytes, (int)dimension);
            }
        }

        return bytes.ToArray();
    }

    private static void WriteRans(string corpus, ushort[] symbols, long[] counts)
    {
        foreach (var precision in new[] { 12, 14 })
        {
            var table = RansTable.FromCounts(counts, precision);
            using var stored = Create(corpus, "rans", $"frequencies-{precision}.bin");
            stored.WriteByte((byte)precision);
            stored.WriteByte(0);
            WriteTable(stored, table.Frequencies.Select(f => (int)f).ToArray());
            WriteUInt16(stored, symbols.Length);
            stored.Write(Rans.Encode(symbols, table));
        }

        // Counts mode: the harness makes the table with FromCounts at precision 8 + byte % 9, here 8 + 6 = 14.
        var counted = RansTable.FromCounts(counts, 14);
        using var fromCounts = Create(corpus, "rans", "counts-14.bin");
        fromCounts.WriteByte(6);
        fromCounts.WriteByte(1);
        WriteTable(fromCounts, counts.Select(c => (int)c).ToArray());
        WriteUInt16(fromCounts, symbols.Length);
        fromCounts.Write(Rans.Encode(symbols, counted));
    }

    private static void WriteHuffman(string corpus, ushort[] symbols, long[] counts)
    {
        var lengths = CanonicalHuffman.CodeLengths(counts);
        using var file = Create(corpus, "huffman", "lengths-12.bin");
        file.WriteByte((byte)(lengths.Length - 1));
        foreach (var length in lengths)
        {
            file.WriteByte((byte)length);
        }

        WriteUInt16(file, symbols.Length);
        file.Write(CanonicalHuffman.Encode(symbols, lengths));
    }

    private static void WriteContext(string corpus, ushort[] symbols, long[] counts)
    {
        var alphabet = ContextAlphabet.FromCounts(counts);
        foreach (var rowLength in new[] { 1, 20 })
        {
            using var file = Create(corpus, "context", $"rows-of-{rowLength}.bin");
            file.WriteByte((byte)(alphabet.Symbols.Length - 1));
            foreach (var symbol in alphabet.Symbols)
            {
                WriteUInt16(file, symbol);
            }

            file.WriteByte((byte)alphabet.Centre);
            file.Write(BitConverter.GetBytes((uint)rowLength));
            WriteUInt16(file, symbols.Length);
            file.Write(ContextCoding.Encode(symbols, alphabet, rowLength));
        }
    }

    private static void WriteTable(Stream output, int[] values)
    {
        output.WriteByte((byte)(values.Length - 1));
        foreach (var value in values)
        {
            WriteUInt16(output, value);
        }
    }

    // Indices bunched around the middle of the codebook, as shared weights are.
    private static ushort[] Symbols(Random random, int count, int values) =>
        Enumerable.Range(0, count).Select(_ => (ushort)Math.Clamp((int)Math.Round((values / 2.0) + (Gaussian(random) * values / 6.0)), 0, values - 1)).ToArray();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static void WriteUInt16(Stream output, int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, checked((ushort)value));
        output.Write(bytes);
    }

    private static string Folder(string corpus, string target) => Directory.CreateDirectory(Path.Combine(corpus, target)).FullName;

    private static FileStream Create(string corpus, string target, string name) => File.Create(Path.Combine(Folder(corpus, target), name));
}
