namespace WeightShare.Engine.Checkpoints;

/// <summary>The checkpoint formats the product reads.</summary>
public enum CheckpointFormat
{
    /// <summary>A torch.jit.save archive: architecture and weights, so the model can be evaluated.</summary>
    TorchScript,

    /// <summary>A torch.save zip archive of a state_dict: weights only.</summary>
    PyTorch,

    /// <summary>A safetensors file: weights only.</summary>
    Safetensors,

    /// <summary>An ONNX model (protobuf ModelProto); its initializers are the tensors.</summary>
    Onnx,
}
