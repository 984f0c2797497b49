namespace WeightShare.Engine.Evaluation;

/// <summary>Where tensors live while a model is evaluated.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when <c>torch.cuda.is_available()</c>, else the CPU.</summary>
    Auto,

    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>The first CUDA device; fails with a clear error where CUDA is not available.</summary>
    Cuda,
}
