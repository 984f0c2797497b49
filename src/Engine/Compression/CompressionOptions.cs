using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Compression;

/// <summary>Everything a compression run can be told; every default is the paper's.</summary>
public sealed record CompressionOptions
{
    /// <summary>The codec that represents the shared weights (<see cref="Codecs.CodecRegistry"/>); the paper's by default.</summary>
    public string Codec { get; init; } = Codecs.Paper.PaperCodec.CodecId;

    /// <summary>Class-balanced samples the search and the merge see; the rest give the test figures.</summary>
    public int ValidationSamples { get; init; } = 1000;

    /// <summary>The validation figure maximised.</summary>
    public Metric Metric { get; init; } = Metric.Accuracy;

    /// <summary>NSGA-II settings.</summary>
    public SearchSettings Search { get; init; } = new();

    /// <summary>Merge settings.</summary>
    public MergeSettings Merge { get; init; } = new();

    /// <summary>The search's second objective; null takes the codec's (<see cref="Codecs.CodecDefaults"/>).</summary>
    public SizeObjective? Objective { get; init; }

    /// <summary>The codec's own options (its levers, see each codec); none by default.</summary>
    public IReadOnlyDictionary<string, string> CodecOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Calibration of the shared values (codecs that calibrate).</summary>
    public CalibrationSettings Calibration { get; init; } = new();

    /// <summary>Which tensors are shared.</summary>
    public SharedScope Scope { get; init; } = SharedScope.Weights;

    /// <summary>Where the model runs.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Samples per forward pass.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!Codecs.CodecRegistry.IsValidId(Codec))
        {
            throw new InvalidInputException($"codec must be a codec id such as \"paper\" (got '{Codec}').");
        }
        if (ValidationSamples < 1)
        {
            throw new InvalidInputException($"validationSamples must be at least 1 (got {ValidationSamples}).");
        }
        if (Search.Population is < 4 or > 10_000)
        {
            throw new InvalidInputException($"search.population must be between 4 and 10000 (got {Search.Population}).");
        }
        if (Search.Generations < 1 || Search.Generations > 10_000)
        {
            throw new InvalidInputException($"search.generations must be between 1 and 10000 (got {Search.Generations}).");
        }
        if (Search.KMin < 1 || Search.KMax > 65_535 || Search.KMin >= Search.KMax)
        {
            throw new InvalidInputException($"search.kMin and search.kMax must satisfy 1 <= kMin < kMax <= 65535 (got {Search.KMin} and {Search.KMax}).");
        }
        if (Merge.Tolerance < 0 || Merge.Tolerance > 1)
        {
            throw new InvalidInputException($"merge.tolerance must be between 0 and 1 (got {Merge.Tolerance}).");
        }
        if (Search.Patience is < 0 or > 10_000)
        {
            throw new InvalidInputException($"search.patience must be between 0 (off) and 10000 (got {Search.Patience}).");
        }
        Calibration.Validate();
        if (BatchSize < 1 || BatchSize > 65_536)
        {
            throw new InvalidInputException($"batchSize must be between 1 and 65536 (got {BatchSize}).");
        }
    }
}
