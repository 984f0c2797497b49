using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Compression;

/// <summary>Which tensors join the one shared codebook.</summary>
public enum SharedScope
{
    /// <summary>Every floating-point parameter with two or more dimensions: conv and linear weights (the paper's choice).</summary>
    Weights,

    /// <summary>Every floating-point trainable parameter, biases and norm scales included.</summary>
    AllTrainable,
}

/// <summary>The NSGA-II settings of a run (design.md, the paper's defaults); kMin and kMax bound the gene k of codecs that have one.</summary>
public sealed record SearchSettings(int Population = 100, int Generations = 100, int KMin = 2, int KMax = 1024, int Seed = 1);

/// <summary>The refinement settings of a run (the paper codec's iterative merge): whether front points are refined, and how much validation accuracy a step may cost.</summary>
public sealed record MergeSettings(bool Enabled = true, double Tolerance = 0.0);

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
        if (Search.Population < 4 || Search.Population > 10_000)
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
        if (BatchSize < 1 || BatchSize > 65_536)
        {
            throw new InvalidInputException($"batchSize must be between 1 and 65536 (got {BatchSize}).");
        }
    }
}
