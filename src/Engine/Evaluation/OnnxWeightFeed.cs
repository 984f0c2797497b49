namespace WeightShare.Engine.Evaluation;

/// <summary>How an <see cref="OnnxModel"/> gets changed weights into ONNX Runtime.</summary>
public enum OnnxWeightFeed
{
    /// <summary>
    /// One session; the weights are graph inputs too, fed with each batch (overridable initializers). Slower on the
    /// models measured: ONNX Runtime cannot pre-pack weights that are inputs.
    /// </summary>
    Inputs,

    /// <summary>The weights are written into the model's bytes and a new session is built after each change (the default).</summary>
    Rebuild,
}
