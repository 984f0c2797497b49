using WeightShare.Engine.Checkpoints;

namespace WeightShare.Fuzz.Targets;

/// <summary>
/// A PyTorch or TorchScript .pt file as the product reads it: the zip, its data.pkl through the unpickler, the tensor
/// references, and the bytes of the first few tensors.
/// </summary>
internal sealed class PyTorchTarget : FuzzTarget
{
    private const long MaxTensorBytes = 1 << 20;
    private const int MaxTensorsRead = 8;

    public override string Name => "pt";

    public override string Summary => "ZipContainer + PyTorchZipReader.Read (data.pkl unpickled) + ReadTensorBytes";

    public override void Run(byte[] input, ScratchFiles scratch)
    {
        var path = scratch.Write("model.pt", input);
        CheckpointLayout layout;
        using (var zip = ZipContainer.Open(path))
        {
            var format = PyTorchZipReader.IsTorchScript(zip) ? CheckpointFormat.TorchScript : CheckpointFormat.PyTorch;
            layout = PyTorchZipReader.Read(zip, format);
        }

        _ = CheckpointReader.Summarize(layout);
        foreach (var tensor in layout.Tensors.Where(t => t.IsContiguous && t.ByteLength <= MaxTensorBytes).Take(MaxTensorsRead))
        {
            _ = CheckpointReader.ReadTensorBytes(path, layout, tensor, MaxTensorBytes);
        }
    }
}
