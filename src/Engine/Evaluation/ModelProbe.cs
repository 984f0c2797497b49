using WeightShare.Engine.Checkpoints;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// The cheap checks made when a run is created, so that a model and data that cannot work together are refused before
/// the run exists: a few samples through the model, not the run's own splits and reference outputs.
/// </summary>
public static class ModelProbe
{
    /// <summary>
    /// Loads the model, finds what it shares and runs the first two samples of <paramref name="data"/> through it, as
    /// <paramref name="metric"/> will read its outputs.
    /// </summary>
    /// <exception cref="InvalidInputException">The model has nothing to share, or cannot take the data.</exception>
    public static void Check(string modelPath, LabelledDataset data, MetricDefinition metric, ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(metric);
        var layout = CheckpointReader.Read(modelPath);
        using var model = ModelBackends.Load(modelPath, layout, device);
        SharedTensorSelection.Shared(model, layout, SharedScope.Weights);
        using var head = data.Subset(Enumerable.Range(0, Math.Min(2, data.Count)).ToArray(), TorchDevices.Resolve(device));
        if (metric.NeedsClassScores)
        {
            model.CheckTakes(head, checkClasses: metric.ChecksLabelClasses);
        }
        if (metric.Reference == MetricReference.Outputs)
        {
            EvaluationSplits.CheckReferenceFits(model, head, data.Count);
        }
    }

    /// <summary>Reads the checkpoint's layout and finds the tensors a data-free run would share.</summary>
    /// <exception cref="InvalidInputException">The file cannot be read, or has nothing to share.</exception>
    public static void CheckDataFree(string modelPath)
    {
        SharedTensorSelection.Stored(CheckpointReader.Read(modelPath), SharedScope.Weights);
    }
}
