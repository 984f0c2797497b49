using TorchSharp;

namespace WeightShare.Engine.Evaluation;

/// <summary>Maps a <see cref="ComputeDevice"/> choice to a TorchSharp device.</summary>
public static class TorchDevices
{
    /// <summary>True when this build and machine can run models on CUDA.</summary>
    public static bool CudaAvailable => torch.cuda.is_available();

    /// <summary>Resolves <paramref name="choice"/>; <see cref="ComputeDevice.Cuda"/> without CUDA is an input error.</summary>
    public static torch.Device Resolve(ComputeDevice choice) => choice switch
    {
        ComputeDevice.Cpu => torch.CPU,
        ComputeDevice.Cuda when torch.cuda.is_available() => torch.CUDA,
        ComputeDevice.Cuda => throw new InvalidInputException(
            "The device 'cuda' was asked for, but CUDA is not available here (this build or machine has no CUDA libtorch; see README, 'CUDA builds')."),
        _ => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
    };
}
