using WeightShare.Engine.Datasets;

namespace WeightShare.Fuzz.Targets;

/// <summary>
/// A pair of IDX files (images and labels, raw or gzipped). Input: a u32 (little-endian) length n, then the n bytes of
/// the first file, then the second file.
/// </summary>
internal sealed class IdxTarget : FuzzTarget
{
    public override string Name => "idx";

    public override string Summary => "IdxReader.Read of two files: u32 n, n bytes of the first, the rest the second";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        var framing = new HarnessInput(input);
        var firstLength = framing.UInt32();
        var first = framing.Take((int)Math.Min(firstLength, int.MaxValue)).ToArray();
        if (framing.Short)
        {
            return;
        }

        var second = framing.Rest();
        _ = IdxReader.Read(scratch.Write("first-idx", first), scratch.Write("second-idx", second));
    }
}
