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

    /// <summary>The codec: "scalar" (the default for new runs), "paper" (the method of arXiv 2501.03095) or another registered one.</summary>
    public string Codec { get; init; } = Engine.Codecs.Scalar.ScalarCodec.CodecId;

    public int ValidationSamples { get; init; } = 1000;

    /// <summary>accuracy (the default with a dataset), macroF1, or weightSnr (the default and the only one without a dataset: a data-free run).</summary>
    public Metric? Metric { get; init; }

    public SearchSettings Search { get; init; } = new();

    public MergeSettings Merge { get; init; } = new();

    /// <summary>The codec's own options, e.g. {"coder": "huffman"} for the scalar codec; none by default.</summary>
    public Dictionary<string, string> CodecOptions { get; init; } = [];

    /// <summary>"sharedValues" or "bytes"; null takes the codec's.</summary>
    public SizeObjective? Objective { get; init; }

    /// <summary>Calibration settings (codecs that calibrate).</summary>
    public CalibrationSettings Calibration { get; init; } = new();

    /// <summary>"cpu" or "cuda"; null takes the server's WeightShare:Device. CUDA on a machine without it is a 400.</summary>
    public ComputeDevice? Device { get; init; }

    /// <summary>Free text shown with the run in the runs list (at most 2,000 characters).</summary>
    public string? Notes { get; init; }

    public RunSettings ToSettings() => new()
    {
        Codec = Codec,
        ValidationSamples = ValidationSamples,
        Metric = Metric ?? (string.IsNullOrWhiteSpace(DatasetId) ? Engine.Evaluation.Metric.WeightSnr : Engine.Evaluation.Metric.Accuracy),
        Search = Search,
        Merge = Merge,
        CodecOptions = CodecOptions,
        Objective = Objective,
        Calibration = Calibration,
        Device = Device,
    };
}
