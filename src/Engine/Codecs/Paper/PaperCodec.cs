using System.Text.Json;
using WeightShare.Engine.Search;
using WeightShare.Engine.Sharing;
using WeightShare.Engine.Wsz;

namespace WeightShare.Engine.Codecs.Paper;

/// <summary>
/// The method of arXiv 2501.03095 (README, "Codecs"): one codebook of k uniform bins over every shared weight, NSGA-II over
/// k, then neighbouring bins merged while validation accuracy holds, and Huffman-coded indices.
/// </summary>
public sealed class PaperCodec : WeightCodec
{
    /// <summary>The codec's id.</summary>
    public const string CodecId = "paper";

    private static readonly Gene[] PaperGenes =
    [
        new("k", 1, WeightBins.MaxK, "Uniform bins cut over [min, max] of all shared weights; empty bins are dropped."),
    ];

    /// <inheritdoc />
    public override string Id => CodecId;

    /// <inheritdoc />
    public override string Summary => "the paper's k uniform bins over all weights, merged while accuracy holds, Huffman-coded (arXiv 2501.03095)";

    /// <inheritdoc />
    public override IReadOnlyList<Gene> Genes => PaperGenes;

    /// <inheritdoc />
    public override string RefinementLabel => "merged";

    /// <inheritdoc />
    public override int MaxSharedValues(IReadOnlyList<Gene> genes)
    {
        ArgumentNullException.ThrowIfNull(genes);
        return genes[0].Max;
    }

    /// <inheritdoc />
    public override Quantization Quantize(SharedWeights weights, SolutionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var k = KOf(plan);
        var bins = WeightBins.Assign(weights.Values, k);
        if (plan.Refinement is null)
        {
            return new PaperQuantization(bins, k, null);
        }
        int[] groupStarts;
        try
        {
            groupStarts = JsonSerializer.Deserialize<int[]>(plan.Refinement) ?? throw new InvalidInputException("The merged groups of a paper plan are null.");
            Codebook.FromGroups(bins, groupStarts);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidInputException($"The merged groups of the paper plan for k = {k} do not fit its bins: {e.Message}", e);
        }
        return new PaperQuantization(bins, k, groupStarts);
    }

    /// <summary>
    /// The paper's iterative merge: walks the bins from left to right and merges a bin into a neighbour
    /// wherever the validation error does not grow by more than the tolerance.
    /// </summary>
    public override async Task<Refinement?> RefineAsync(SharedWeights weights, SolutionPlan plan, RefineContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(context);
        var k = KOf(plan);
        var bins = WeightBins.Assign(weights.Values, k);
        var steps = context.Progress is { } progress
            ? new SyncProgress<MergeStep>(step => progress.Report(new RefineStep(step.Groups, 1 - step.ValidationError, step.Evaluations)))
            : null;
        var result = await MergeSearch.RunAsync(
            bins.Count,
            (groupStarts, token) => context.ValidationError(new PaperQuantization(bins, k, groupStarts), token),
            new MergeOptions(context.Tolerance),
            steps,
            cancellationToken).ConfigureAwait(false);
        var merged = result.GroupStarts.Count < bins.Count;
        return new Refinement(new SolutionPlan([k], merged ? JsonSerializer.Serialize(result.GroupStarts) : null), 1 - result.ValidationError);
    }

    /// <inheritdoc />
    public override SharedWeightReader OpenReader(byte[] block, IReadOnlyList<WszSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var count = segments.Sum(s => s.ElementCount);
        return PaperBlock.Parse(block, count).OpenReader(count);
    }

    /// <inheritdoc />
    public override void Validate(ReadOnlySpan<byte> block, IReadOnlyList<WszSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        PaperBlock.Parse(block, segments.Sum(s => s.ElementCount));
    }

    private static int KOf(SolutionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Genes.Count == 1
            ? plan.Genes[0]
            : throw new InvalidInputException($"A paper plan has one gene, k; this one has {plan.Genes.Count}.");
    }
}
