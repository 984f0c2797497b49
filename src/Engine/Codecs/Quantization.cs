namespace WeightShare.Engine.Codecs;

/// <summary>
/// The shared weights as one solution of a codec represents them: what the model is evaluated with, what a .wsz file
/// stores, and how it is described to people.
/// </summary>
public abstract class Quantization
{
    /// <summary>Distinct values (or codewords) the representation uses: the paper's "shared values".</summary>
    public abstract int SharedValues { get; }

    /// <summary>One line for people, for example "k = 31 merged to 26 shared values".</summary>
    public abstract string Description { get; }

    /// <summary>Writes the weights this representation gives, one per shared weight in shared-vector order.</summary>
    public abstract void Dequantize(Span<float> weights);

    /// <summary>The codec block of a .wsz file for this representation, with its bits per weight.</summary>
    public abstract EncodedWeights Encode();

    /// <summary>
    /// The bytes <see cref="Encode"/>'s block takes, for a search that minimises bytes; a codec may answer from a
    /// cheaper estimate (exact to within a few bytes, or, for the scalar codec's context coder, its rANS size).
    /// </summary>
    public virtual long BlockBytes => Encode().Block.LongLength;

    /// <summary>
    /// New values for unshared parameters (biases, norm scales and shifts) by name, when the representation tuned them
    /// (calibration); null keeps the uploaded model's. They travel in the .wsz residual and the checkpoint.
    /// </summary>
    public virtual IReadOnlyDictionary<string, float[]>? SmallParameters => null;
}
