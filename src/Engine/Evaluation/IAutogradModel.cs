using TorchSharp;

namespace WeightShare.Engine.Evaluation;

/// <summary>What a backend with autograd offers calibration and fine-tuning: live parameters, gradients, a forward pass that records them.</summary>
internal interface IAutogradModel
{
    /// <summary>The model's own parameter <paramref name="name"/> (not a copy): writes to it change the model.</summary>
    torch.Tensor LiveParameter(string name);

    /// <summary>Clears every parameter's gradient.</summary>
    void ZeroGrad();

    /// <summary>The model's output for one batch, recording the graph for a backward pass.</summary>
    torch.Tensor ForwardWithGrad(torch.Tensor batch);
}
