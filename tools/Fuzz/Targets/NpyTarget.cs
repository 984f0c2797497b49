using WeightShare.Engine.Datasets;

namespace WeightShare.Fuzz.Targets;

/// <summary>One .npy array, the member format of .npz, parsed directly so afl need not keep a zip around it valid.</summary>
internal sealed class NpyTarget : FuzzTarget
{
    public override string Name => "npy";

    public override string Summary => "NpyArray.Parse";

    public override void Run(byte[] input, ScratchFiles scratch) => _ = NpyArray.Parse(input, "x.npy");
}
