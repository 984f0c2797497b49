namespace WeightShare.Engine.Compression;

/// <summary>Which tensors join the one shared codebook.</summary>
public enum SharedScope
{
    /// <summary>Every floating-point parameter with two or more dimensions: conv and linear weights (the paper's choice).</summary>
    Weights,

    /// <summary>Every floating-point trainable parameter, biases and norm scales included.</summary>
    AllTrainable,
}
