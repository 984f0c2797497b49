using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Metrics;

/// <summary>Takes a model's outputs batch by batch over one split and gives the split's figures at the end.</summary>
public abstract class MetricAccumulator
{
    /// <summary>Adds the outputs for samples [start, start + outputs.shape[0]) of the split; the caller disposes them.</summary>
    public abstract void Add(TorchSharp.torch.Tensor outputs, int start);

    /// <summary>The split's figures once every batch was added.</summary>
    public abstract EvaluationResult Result();
}
