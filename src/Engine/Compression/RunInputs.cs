using WeightShare.Engine.Checkpoints;

namespace WeightShare.Engine.Compression;

/// <summary>What the resolver needs to know of a run's model and data to fill and check its settings.</summary>
/// <param name="ModelFormat">The model file's format.</param>
/// <param name="ModelBytes">The model file's size.</param>
/// <param name="Samples">The dataset's samples; null for a data-free run.</param>
/// <param name="Classes">The classes its labels range over (0 for inputs without labels).</param>
public sealed record RunInputs(CheckpointFormat ModelFormat, long ModelBytes, int? Samples = null, int Classes = 0)
{
    /// <summary>True when the run has no dataset.</summary>
    public bool DataFree => Samples is null;

    /// <summary>True when the model file holds its architecture, so it can be run on data.</summary>
    public bool CanRun => Evaluation.ModelBackends.CanRun(ModelFormat);

    /// <summary>True when the model runs with autograd here (TorchScript through TorchSharp), so it can be calibrated.</summary>
    public bool HasAutograd => ModelFormat == CheckpointFormat.TorchScript;
}
