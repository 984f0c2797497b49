using WeightShare.Engine.Datasets;

namespace WeightShare.Fuzz.Targets;

/// <summary>A CIFAR-10/100 binary .tar.gz.</summary>
internal sealed class CifarTarget : FuzzTarget
{
    public override string Name => "cifar";

    public override string Summary => "CifarReader.Read";

    public override void Run(byte[] input, ScratchFiles scratch) => _ = CifarReader.Read(scratch.Write("cifar.tar.gz", input));
}
