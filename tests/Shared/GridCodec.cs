using System.Buffers.Binary;
using System.Globalization;
using WeightShare.Engine;
using WeightShare.Engine.Codecs;
using WeightShare.Engine.Wsz;

namespace WeightShare.Tests.Support;

/// <summary>
/// A test-only codec that shows what a second codec takes: one class and one registration line. Every shared weight is
/// rounded to the nearest of 2^bits evenly spaced points over [min, max] of the weights; the block holds min, max,
/// bits and each weight's point number in bits bits. The search varies one gene, bits; there is no refinement.
/// </summary>
public sealed class GridCodec : WeightCodec
{
    public const string CodecId = "grid";

    private static readonly Gene[] GridGenes = [new("bits", 1, 8, "Bits per weight: the grid has 2^bits points.")];

    public override string Id => CodecId;

    public override string Summary => "test-only: every weight rounded to a grid of 2^bits points";

    public override IReadOnlyList<Gene> Genes => GridGenes;

    public override int MaxSharedValues(IReadOnlyList<Gene> genes) => 1 << genes[0].Max;

    public override Quantization Quantize(SharedWeights weights, SolutionPlan plan)
    {
        var bits = plan.Genes[0];
        if (bits is < 1 or > 8)
        {
            throw new InvalidInputException($"The grid codec takes 1 to 8 bits, not {bits}.");
        }
        var min = weights.Values.Min();
        var max = weights.Values.Max();
        var levels = 1 << bits;
        var step = (max - min) / (levels - 1);
        var points = new byte[weights.Count];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = step == 0 ? (byte)0 : (byte)Math.Clamp((int)MathF.Round((weights.Values[i] - min) / step), 0, levels - 1);
        }
        return new GridQuantization(min, max, bits, points);
    }

    public override SharedWeightReader OpenReader(byte[] block, IReadOnlyList<WszSegment> segments)
    {
        Validate(block, segments);
        var min = BinaryPrimitives.ReadSingleLittleEndian(block);
        var max = BinaryPrimitives.ReadSingleLittleEndian(block.AsSpan(4));
        int bits = block[8];
        var step = (max - min) / ((1 << bits) - 1);
        return SharedWeightReader.ByPosition(segments.Sum(s => s.ElementCount), (start, values) =>
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = min + (step * ReadBits(block.AsSpan(9), (start + i) * bits, bits));
            }
        });
    }

    public override void Validate(ReadOnlySpan<byte> block, IReadOnlyList<WszSegment> segments)
    {
        if (block.Length < 9 || block[8] is < 1 or > 8)
        {
            throw new InvalidInputException("The grid codec's block is shorter than its header or names a bit width outside 1..8.");
        }
        var expected = 9 + (((segments.Sum(s => s.ElementCount) * block[8]) + 7) / 8);
        if (block.Length != expected)
        {
            throw new InvalidInputException($"The grid codec's block is {block.Length} bytes; its segments need {expected}.");
        }
    }

    private static int ReadBits(ReadOnlySpan<byte> data, long bitOffset, int bits)
    {
        var value = 0;
        for (var b = 0; b < bits; b++)
        {
            var at = bitOffset + b;
            value = (value << 1) | ((data[(int)(at >> 3)] >> (7 - (int)(at & 7))) & 1);
        }
        return value;
    }

    private sealed class GridQuantization(float min, float max, int bits, byte[] points) : Quantization
    {
        public override int SharedValues => points.Distinct().Count();

        public override string Description => string.Create(CultureInfo.InvariantCulture, $"{bits}-bit grid, {SharedValues} shared values");

        public override void Dequantize(Span<float> weights)
        {
            var step = (max - min) / ((1 << bits) - 1);
            for (var i = 0; i < points.Length; i++)
            {
                weights[i] = min + (step * points[i]);
            }
        }

        public override EncodedWeights Encode()
        {
            var block = new byte[9 + (((long)points.Length * bits) + 7) / 8];
            BinaryPrimitives.WriteSingleLittleEndian(block, min);
            BinaryPrimitives.WriteSingleLittleEndian(block.AsSpan(4), max);
            block[8] = (byte)bits;
            for (long i = 0; i < points.Length; i++)
            {
                for (var b = 0; b < bits; b++)
                {
                    if (((points[i] >> (bits - 1 - b)) & 1) != 0)
                    {
                        var at = (i * bits) + b;
                        block[9 + (at >> 3)] |= (byte)(0x80 >> (int)(at & 7));
                    }
                }
            }
            return new EncodedWeights(block, bits);
        }
    }
}
