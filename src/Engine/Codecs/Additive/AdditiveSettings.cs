namespace WeightShare.Engine.Codecs.Additive;

/// <summary>How the additive codec learns its codebooks.</summary>
/// <param name="Beam">Partial sums the code search keeps per vector (1 = residual quantization).</param>
/// <param name="Rounds">Rounds of least-squares codebook update and code search on the sample.</param>
/// <param name="KMeansIterations">Lloyd iterations of each codebook's residual k-means start.</param>
/// <param name="SampleVectors">Vectors the codebooks are learned on; every vector is coded with them at the end.</param>
/// <param name="Seed">Seeds the sample and the k-means starts.</param>
internal sealed record AdditiveSettings(int Beam = 4, int Rounds = 3, int KMeansIterations = 8, int SampleVectors = 65536, int Seed = 1);
