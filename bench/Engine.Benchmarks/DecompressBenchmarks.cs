using BenchmarkDotNet.Attributes;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Benchmarks;

/// <summary>
/// Rebuilding a checkpoint from a .wsz file: into memory (the whole file as one array, what /api/decompress did
/// before) against streaming into a temporary file (what it does now). The .wsz is the file named by the
/// environment variable WSW_BENCH_WSZ, for example the ResNet-18 download of docs/results.md; the Allocated column
/// bounds the managed memory each needs.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 6)]
public class DecompressBenchmarks
{
    private byte[] _wsz = [];

    [GlobalSetup]
    public void Setup()
    {
        var path = Environment.GetEnvironmentVariable("WSW_BENCH_WSZ")
            ?? throw new InvalidOperationException("Set WSW_BENCH_WSZ to the .wsz file to rebuild.");
        _wsz = File.ReadAllBytes(path);
        var content = WszReader.Read(new MemoryStream(_wsz));
        Console.WriteLine($"// {Path.GetFileName(path)}: {_wsz.Length:N0} bytes of .wsz rebuild {content.ReconstructedLength:N0} bytes");
    }

    [Benchmark(Baseline = true)]
    public long InMemory() => WszDecoder.ReconstructToArray(WszReader.Read(new MemoryStream(_wsz))).LongLength;

    [Benchmark]
    public long ToTemporaryFile()
    {
        using var output = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        WszDecoder.Reconstruct(WszReader.Read(new MemoryStream(_wsz)), output);
        return output.Length;
    }
}
