using WeightShare.Engine.Checkpoints;

namespace WeightShare.Fuzz.Targets;

/// <summary>An ONNX model: the protobuf walk to its initializers, then the bytes of the first few.</summary>
internal sealed class OnnxTarget : FuzzTarget
{
    private const long MaxTensorBytes = 1 << 20;
    private const int MaxTensorsRead = 8;

    public override string Name => "onnx";

    public override string Summary => "OnnxReader.Read + ReadTensorBytes of the first initializers";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        var path = scratch.Write("model.onnx", input);
        var layout = OnnxReader.Read(path);
        _ = CheckpointReader.Summarize(layout);
        foreach (var tensor in layout.Tensors.Where(t => t.FileOffset >= 0 && t.ByteLength <= MaxTensorBytes).Take(MaxTensorsRead))
        {
            _ = CheckpointReader.ReadTensorBytes(path, layout, tensor, MaxTensorBytes);
        }
    }
}
