namespace WeightShare.Engine.Pipeline;

/// <summary>One evaluated member of a population or front, decoded from its objective vector.</summary>
/// <param name="Genes">The codec's genes, in its order.</param>
/// <param name="Parameters">The genes by name.</param>
/// <param name="SharedValues">Distinct values (or codewords) the solution uses.</param>
/// <param name="ValidationMetric">The run's validation metric (accuracy or macro-F1): 1 - the first objective.</param>
/// <param name="Bytes">The .wsz file's bytes, when the search minimises bytes (its second objective); null otherwise.</param>
public sealed record SearchPoint(IReadOnlyList<int> Genes, IReadOnlyDictionary<string, int> Parameters, int SharedValues, double ValidationMetric, long? Bytes = null)
{
    /// <summary>
    /// Validation samples its evaluation used: the whole split unless racing stopped it early (its metric is then the
    /// baseline's minus its paired loss on those samples); null in a data-free run.
    /// </summary>
    public int? ValidationSamples { get; init; }
}
