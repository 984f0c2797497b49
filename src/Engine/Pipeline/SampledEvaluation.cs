using System.Text.Json.Serialization;
using WeightShare.Engine.Metrics;

namespace WeightShare.Engine.Pipeline;

/// <summary>
/// One evaluation of a racing search: the candidate, its size, how many validation samples it was measured on and
/// its loss against the uploaded model on them (at 95 %). A run's list of these, in evaluation order, is what racing
/// resumes from and what its sample figures are counted from.
/// </summary>
/// <param name="Genes">The candidate's genes.</param>
/// <param name="Size">Its search size: the .wsz bytes, or its shared values when the search minimises those.</param>
/// <param name="Samples">Validation samples it was measured on (all of them unless it was stopped early).</param>
/// <param name="Loss">Its loss against the uploaded model on those samples, with the 95 % interval.</param>
public sealed record SampledEvaluation(int[] Genes, long Size, int Samples, LossInterval Loss)
{
    /// <summary>The key the candidate's genes are found by.</summary>
    [JsonIgnore]
    public string Key => string.Join(',', Genes);
}
