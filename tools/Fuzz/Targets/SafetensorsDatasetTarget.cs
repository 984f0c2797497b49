using WeightShare.Engine.Datasets;

namespace WeightShare.Fuzz.Targets;

/// <summary>A safetensors dataset (tensors x and y).</summary>
internal sealed class SafetensorsDatasetTarget : FuzzTarget
{
    public override string Name => "safetensors-dataset";

    public override string Summary => "SafetensorsDatasetReader.Read";

    public override void Run(byte[] input, ScratchFiles scratch) => _ = SafetensorsDatasetReader.Read(scratch.Write("data.safetensors", input));
}
