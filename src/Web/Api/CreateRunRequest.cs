using WeightShare.Engine.Codecs.Paper;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;
using WeightShare.Jobs.Runs;

namespace WeightShare.Web.Api;

/// <summary>The body of POST /api/runs; every field but the two ids has the paper's default.</summary>
public sealed record CreateRunRequest
{
    public string? ModelId { get; init; }

    public string? DatasetId { get; init; }

    /// <summary>The codec: "paper" (the default) or another registered one.</summary>
    public string Codec { get; init; } = PaperCodec.CodecId;

    public int ValidationSamples { get; init; } = 1000;

    public Metric Metric { get; init; } = Metric.Accuracy;

    public SearchSettings Search { get; init; } = new();

    public MergeSettings Merge { get; init; } = new();

    public RunSettings ToSettings() => new()
    {
        Codec = Codec,
        ValidationSamples = ValidationSamples,
        Metric = Metric,
        Search = Search,
        Merge = Merge,
    };
}
