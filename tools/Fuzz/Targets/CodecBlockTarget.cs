using WeightShare.Engine.Codecs;
using WeightShare.Engine.Tensors;
using WeightShare.Engine.Wsz;

namespace WeightShare.Fuzz.Targets;

/// <summary>
/// One codec's block of a .wsz file, without the container around it: the codec reads its tables (rANS frequencies,
/// Huffman lengths, context alphabets, codebooks) and streams from untrusted bytes and rebuilds every weight. Input:
/// u8 segment count (1 + b % 4), per segment u8 rank (1 + b % 3) and that many u16 dimensions, then the block.
/// </summary>
internal sealed class CodecBlockTarget(string codecId) : FuzzTarget
{
    // Every weight is decoded; 2^20 keeps an execution short whatever the block claims.
    private const long MaxElements = 1 << 20;

    public override string Name => $"{codecId}-block";

    public override string Summary => $"the {codecId} codec's Validate + OpenReader, every weight read, Finish";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        var framing = new HarnessInput(input);
        var segments = new List<WszSegment>();
        var count = 1 + (framing.Byte() % 4);
        long offset = 0;
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            var shape = new long[1 + (framing.Byte() % 3)];
            for (var d = 0; d < shape.Length; d++)
            {
                shape[d] = framing.UInt16();
            }

            var elements = shape.Aggregate(1L, (product, dimension) => product * dimension);
            if (elements == 0)
            {
                // The container refuses empty segments before any codec sees them.
                return;
            }

            segments.Add(new WszSegment($"t{i}.weight", offset, elements, TensorDType.Float32) { Shape = shape });
            offset += elements * 4;
            total += elements;
        }

        if (framing.Short || total > MaxElements)
        {
            return;
        }

        var block = framing.Rest();
        var codec = CodecRegistry.Default.Create(codecId);
        codec.Validate(block, segments);
        var reader = codec.OpenReader(block, segments);
        var chunk = new float[4096];
        while (reader.Remaining > 0)
        {
            reader.Read(chunk.AsSpan(0, (int)Math.Min(chunk.Length, reader.Remaining)));
        }

        reader.Finish();
    }
}
