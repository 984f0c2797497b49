using System.Text.Json;

namespace WeightShare.Engine.Codecs;

/// <summary>
/// What a codec needs to rebuild one solution: the genes the search chose (in the order the codec declares them) and,
/// when a refinement changed the solution, the codec's own record of that refinement (opaque text, JSON by convention).
/// A host stores both and gets the very same quantization back.
/// </summary>
/// <param name="Genes">One value per gene of the codec.</param>
/// <param name="Refinement">The codec's refinement record, or null when the solution is as the genes give it.</param>
public sealed record SolutionPlan(IReadOnlyList<int> Genes, string? Refinement = null)
{
    /// <summary>True when a refinement changed the solution (the paper codec: bins were merged).</summary>
    public bool IsRefined => Refinement is not null;

    /// <summary>The genes by name, in the codec's order.</summary>
    public IReadOnlyDictionary<string, int> Parameters(IReadOnlyList<Gene> genes)
    {
        ArgumentNullException.ThrowIfNull(genes);
        if (genes.Count != Genes.Count)
        {
            throw new ArgumentException($"The plan has {Genes.Count} genes but the codec declares {genes.Count}.", nameof(genes));
        }
        var parameters = new OrderedDictionary<string, int>(genes.Count);
        for (var i = 0; i < genes.Count; i++)
        {
            parameters.Add(genes[i].Name, Genes[i]);
        }
        return parameters;
    }

    /// <summary>The genes by name as compact JSON, e.g. <c>{"k":19}</c>: a stable key for storage.</summary>
    public string ParametersJson(IReadOnlyList<Gene> genes) => JsonSerializer.Serialize(Parameters(genes));

    /// <summary>True when both plans have the same genes and refinement.</summary>
    public bool SameAs(SolutionPlan other) =>
        other is not null && Genes.SequenceEqual(other.Genes) && Refinement == other.Refinement;
}
