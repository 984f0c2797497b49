using WeightShare.Engine.Datasets;

namespace WeightShare.Fuzz.Targets;

/// <summary>A NumPy .npz archive (x and y arrays).</summary>
internal sealed class NpzTarget : FuzzTarget
{
    public override string Name => "npz";

    public override string Summary => "NpzReader.Read";

    public override void Run(byte[] input, ScratchFiles scratch) => _ = NpzReader.Read(scratch.Write("data.npz", input));
}
