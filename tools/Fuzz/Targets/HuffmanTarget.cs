using WeightShare.Engine.Coding;

namespace WeightShare.Fuzz.Targets;

/// <summary>
/// The canonical Huffman decoder (the paper codec's and the scalar codec's). Input: u8 n - 1, n code lengths (u8),
/// u16 symbol count, then the MSB-first bit stream.
/// </summary>
internal sealed class HuffmanTarget : FuzzTarget
{
    public override string Name => "huffman";

    public override string Summary => "CanonicalHuffman.Decode (lengths checked by the decoder)";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        var framing = new HarnessInput(input);
        var lengths = new int[framing.Byte() + 1];
        for (var s = 0; s < lengths.Length; s++)
        {
            lengths[s] = framing.Byte();
        }

        int count = framing.UInt16();
        if (framing.Short)
        {
            return;
        }

        _ = CanonicalHuffman.Decode(framing.Rest(), lengths, count);
    }
}
