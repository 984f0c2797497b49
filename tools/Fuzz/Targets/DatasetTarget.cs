using WeightShare.Engine.Datasets;

namespace WeightShare.Fuzz.Targets;

/// <summary>The upload path of a one-file dataset: the head check, then the dispatch by content and whichever reader it picks.</summary>
internal sealed class DatasetTarget : FuzzTarget
{
    public override string Name => "dataset";

    public override string Summary => "DatasetReader.CheckHead + Read of one file (CIFAR, npz, safetensors, IDX refused)";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        DatasetReader.CheckHead(input.AsSpan(0, Math.Min(input.Length, 16)));
        _ = DatasetReader.Read([scratch.Write("upload", input)]);
    }
}
