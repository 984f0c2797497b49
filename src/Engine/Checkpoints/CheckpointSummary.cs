namespace WeightShare.Engine.Checkpoints;

/// <summary>The headline figures of a checkpoint, as the upload page shows them.</summary>
/// <param name="Format">The detected format.</param>
/// <param name="TensorCount">How many tensors the checkpoint holds.</param>
/// <param name="ParameterCount">Elements of all tensors except BatchNorm buffers (running statistics and batch counts).</param>
/// <param name="SharedParameterCount">Elements of the floating-point tensors with two or more dimensions (shared by default).</param>
/// <param name="CanEvaluate">True when the file carries the architecture, so accuracy can be measured (TorchScript, ONNX).</param>
public sealed record CheckpointSummary(
    CheckpointFormat Format,
    int TensorCount,
    long ParameterCount,
    long SharedParameterCount,
    bool CanEvaluate);
