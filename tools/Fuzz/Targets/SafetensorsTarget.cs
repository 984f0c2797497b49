using WeightShare.Engine.Checkpoints;

namespace WeightShare.Fuzz.Targets;

/// <summary>A safetensors model: the header, then the first few tensors decoded to float32.</summary>
internal sealed class SafetensorsTarget : FuzzTarget
{
    private const long MaxElements = 1 << 18;
    private const int MaxTensorsRead = 8;

    public override string Name => "safetensors";

    public override string Summary => "SafetensorsFile.ReadHeader + ReadAsFloat32 of the first tensors";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        var path = scratch.Write("model.safetensors", input);
        var header = SafetensorsFile.ReadHeader(path);
        foreach (var tensor in header.Tensors.Where(t => t.ElementCount <= MaxElements).Take(MaxTensorsRead))
        {
            _ = SafetensorsFile.ReadAsFloat32(path, tensor, MaxElements);
        }
    }
}
