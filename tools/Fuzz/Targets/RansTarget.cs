using WeightShare.Engine.Coding;

namespace WeightShare.Fuzz.Targets;

/// <summary>
/// The rANS decoder on a stream of its own. Input: u8 precision, u8 mode, u8 n - 1, n u16 values, u16 symbol count,
/// then the stream. Mode bit 0 clear: the values are stored frequencies, checked by <see cref="RansTable.FromFrequencies"/>
/// as a .wsz table is; set: they are counts, made into a table with <see cref="RansTable.FromCounts"/>, so afl can
/// explore streams under tables it could hardly hit by summing frequencies to a power of two.
/// </summary>
internal sealed class RansTarget : FuzzTarget
{
    public override string Name => "rans";

    public override string Summary => "RansTable.FromFrequencies/FromCounts + Rans.Decode";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        var framing = new HarnessInput(input);
        int precision = framing.Byte();
        var fromCounts = (framing.Byte() & 1) == 1;
        var values = new uint[framing.Byte() + 1];
        for (var s = 0; s < values.Length; s++)
        {
            values[s] = framing.UInt16();
        }

        var output = new ushort[framing.UInt16()];
        if (framing.Short || (fromCounts && values.All(v => v == 0)))
        {
            return;
        }

        var table = fromCounts
            ? RansTable.FromCounts(values.Select(v => (long)v).ToArray(), RansTable.MinScaleBits + (precision % (RansTable.MaxScaleBits - RansTable.MinScaleBits + 1)))
            : RansTable.FromFrequencies(values, precision);
        Rans.Decode(framing.Rest(), table, output);
    }
}
