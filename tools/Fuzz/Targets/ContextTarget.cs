using WeightShare.Engine.Coding;

namespace WeightShare.Fuzz.Targets;

/// <summary>
/// The scalar codec's context coder (a binary range decoder over the index's neighbourhood). Input: u8 n - 1, n u16
/// alphabet indices, u8 centre, u32 row length (0 stands for the largest, what a shape with a zero dimension gives),
/// u16 symbol count, then the stream.
/// </summary>
internal sealed class ContextTarget : FuzzTarget
{
    public override string Name => "context";

    public override string Summary => "ContextAlphabet (checked) + ContextCoding.Decode";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        var framing = new HarnessInput(input);
        var symbols = new ushort[framing.Byte() + 1];
        for (var s = 0; s < symbols.Length; s++)
        {
            symbols[s] = framing.UInt16();
        }

        int centre = framing.Byte();
        long rowLength = framing.UInt32();
        var output = new ushort[framing.UInt16()];
        if (framing.Short)
        {
            return;
        }

        var alphabet = new ContextAlphabet(symbols, centre);
        ContextCoding.Decode(framing.Rest(), alphabet, rowLength == 0 ? long.MaxValue : rowLength, output);
    }
}
