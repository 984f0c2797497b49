using BenchmarkDotNet.Attributes;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Codecs.Scalar;
using WeightShare.Engine.Coding;
using WeightShare.Engine.Compression;

namespace WeightShare.Engine.Benchmarks;

/// <summary>
/// The scalar codec's index coders on a model's real indices: rANS with a table per tensor against the context coder,
/// encode and decode of every shared tensor, with the same tables and alphabets the codec would choose per tensor.
/// The model is WSW_BENCH_MODEL (default the fixture CNN) and the plan WSW_BENCH_GENES (default "13 0 1 1 0 0", the
/// CNN's recommended point of docs/results.md; the ResNet-18's is "25 2 2 2 1 0"). The setup prints the bytes of each.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 6)]
public class IndexCoderBenchmarks
{
    private static readonly string[] Coders = ["rans", "context"];

    private ushort[] _indices = [];
    private ushort[] _decoded = [];
    private (int Offset, int Count, long RowLength)[] _tensors = [];
    private RansTable[] _tables = [];
    private ContextAlphabet[] _alphabets = [];
    private byte[][] _rans = [];
    private byte[][] _context = [];

    [GlobalSetup]
    public void Setup()
    {
        var model = Environment.GetEnvironmentVariable("WSW_BENCH_MODEL") ?? Path.Combine(AppContext.BaseDirectory, "fixtures", "fmnist_cnn.pt");
        var genes = (Environment.GetEnvironmentVariable("WSW_BENCH_GENES") ?? "13 0 1 1 0 0").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        using var session = CompressionSession.OpenDataFree(model, new RunSettings { Codec = ScalarCodec.CodecId });
        var weights = session.Weights;
        _indices = ((ScalarQuantization)session.Quantize(new SolutionPlan(genes))).Indices;
        _decoded = new ushort[_indices.Length];
        _tensors = [.. Enumerable.Range(0, weights.Tensors.Count).Select(t => ((int)weights.OffsetOf(t), (int)weights.Tensors[t].ElementCount, ContextCoding.RowLength(weights.Tensors[t].Shape)))];
        var values = _indices.Max() + 1;
        var counts = _tensors.Select(t =>
        {
            var c = new long[values];
            foreach (var index in _indices.AsSpan(t.Offset, t.Count))
            {
                c[index]++;
            }
            return c;
        }).ToArray();
        _tables = [.. counts.Select(c => RansTable.FromCounts(c, values > 4096 ? 16 : 14))];
        _alphabets = [.. counts.Select(c => ContextAlphabet.FromCounts(c))];
        _rans = RansEncode();
        _context = ContextEncode();
        Console.WriteLine($"// {Path.GetFileName(model)} [{string.Join(" ", genes)}]: {_indices.Length:N0} indices in {_tensors.Length} tensors; rANS streams {_rans.Sum(s => (long)s.Length):N0} bytes, context streams {_context.Sum(s => (long)s.Length):N0} bytes");
        // The whole block as the codec writes it (codebook, the tables it chooses, streams) with each coder.
        var blocks = Coders.Select(coder =>
        {
            var codec = new ScalarCodec();
            codec.Configure(new Dictionary<string, string> { ["coder"] = coder });
            return $"{coder} {codec.Quantize(weights, new SolutionPlan(genes)).Encode().Block.LongLength:N0}";
        });
        Console.WriteLine($"// scalar blocks: {string.Join(" bytes, ", blocks)} bytes");
    }

    [Benchmark(Baseline = true, Description = "rANS encode")]
    public byte[][] RansEncode() => [.. _tensors.Select((t, i) => Rans.Encode(_indices.AsSpan(t.Offset, t.Count), _tables[i]))];

    [Benchmark(Description = "context encode")]
    public byte[][] ContextEncode() => [.. _tensors.Select((t, i) => ContextCoding.Encode(_indices.AsSpan(t.Offset, t.Count), _alphabets[i], t.RowLength))];

    [Benchmark(Description = "rANS decode")]
    public int RansDecode()
    {
        for (var i = 0; i < _tensors.Length; i++)
        {
            Rans.Decode(_rans[i], _tables[i], _decoded.AsSpan(_tensors[i].Offset, _tensors[i].Count));
        }
        return _decoded.Length;
    }

    [Benchmark(Description = "context decode")]
    public int ContextDecode()
    {
        for (var i = 0; i < _tensors.Length; i++)
        {
            ContextCoding.Decode(_context[i], _alphabets[i], _tensors[i].RowLength, _decoded.AsSpan(_tensors[i].Offset, _tensors[i].Count));
        }
        return _decoded.Length;
    }
}
