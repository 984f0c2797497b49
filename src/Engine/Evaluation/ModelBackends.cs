using WeightShare.Engine.Checkpoints;

namespace WeightShare.Engine.Evaluation;

/// <summary>The backend factory: which backend runs a model file of each format.</summary>
public static class ModelBackends
{
    /// <summary>True when a model of <paramref name="format"/> can be run on data here.</summary>
    public static bool CanRun(CheckpointFormat format) => format is CheckpointFormat.TorchScript or CheckpointFormat.Onnx;

    /// <summary>
    /// Loads the model at <paramref name="path"/> (read as <paramref name="layout"/>) in the backend for its format:
    /// TorchScript through TorchSharp on <paramref name="device"/>, ONNX through ONNX Runtime (CPU).
    /// </summary>
    /// <exception cref="InvalidInputException">The format holds no architecture to run.</exception>
    public static ModelBackend Load(string path, CheckpointLayout layout, ComputeDevice device) => layout?.Format switch
    {
        CheckpointFormat.TorchScript => ScriptedModel.Load(path, device),
        CheckpointFormat.Onnx => OnnxModel.Load(path, layout),
        _ => throw new InvalidInputException("Only TorchScript and ONNX models hold an architecture that can be run on data."),
    };
}
