using System.Text.Json;
using System.Text.Json.Serialization;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Engine.Compression;

/// <summary>
/// Everything a user can tell a run: the one settings model that the API takes, the new-run page fills, the database
/// stores and the Engine runs on. Fields left null are open: <see cref="SettingsResolver"/> fills them (the default
/// codec, the metric that fits the data, the codec's population, patience and objective, the calibration samples, the
/// server's device), so a stored run says what it really used.
/// </summary>
public record RunSettings
{
    /// <summary>The JSON shape settings are stored and exchanged in: camelCase, enums as camelCase strings.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The codec that represents the shared weights (<see cref="Codecs.CodecRegistry"/>); null takes the default.</summary>
    public string? Codec { get; init; }

    /// <summary>Class-balanced samples the search and the merge see; the rest give the test figures.</summary>
    public int ValidationSamples { get; init; } = 1000;

    /// <summary>The metric's id (<see cref="Metrics.MetricRegistry"/>); null takes accuracy with a dataset and weightSnr without.</summary>
    public string? Metric { get; init; }

    /// <summary>NSGA-II settings.</summary>
    public SearchSettings Search { get; init; } = new();

    /// <summary>Merge settings.</summary>
    public MergeSettings Merge { get; init; } = new();

    /// <summary>The codec's own options (its levers, see each codec); none by default.</summary>
    public Dictionary<string, string> CodecOptions { get; init; } = [];

    /// <summary>The search's second objective; null takes the codec's (<see cref="Codecs.CodecDefaults"/>).</summary>
    public SizeObjective? Objective { get; init; }

    /// <summary>Calibration of the shared values (codecs that calibrate).</summary>
    public CalibrationSettings Calibration { get; init; } = new();

    /// <summary>Where the run's model passes run; null takes the server's <c>WeightShare:Device</c>.</summary>
    public ComputeDevice? Device { get; init; }

    /// <summary>Which tensors are shared (not part of the API: every run shares weights of rank 2 and more).</summary>
    [JsonIgnore]
    public SharedScope Scope { get; init; } = SharedScope.Weights;

    /// <summary>Samples per forward pass (not part of the API).</summary>
    [JsonIgnore]
    public int BatchSize { get; init; } = 256;

    /// <summary>These settings as stored, without any field a derived request type adds.</summary>
    public string ToJson() => JsonSerializer.Serialize(new RunSettings(this), Json);

    /// <summary>
    /// Settings as stored. Settings stored before codecs existed name none: they were the paper's, so a stored run
    /// without a codec is read as <c>paper</c> (new runs always store theirs).
    /// </summary>
    public static RunSettings FromJson(string json)
    {
        var settings = JsonSerializer.Deserialize<RunSettings>(json, Json) ?? throw new InvalidOperationException("Run settings JSON is null.");
        return settings.Codec is null ? settings with { Codec = Codecs.Paper.PaperCodec.CodecId } : settings;
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first setting outside its limits.</summary>
    internal void CheckLimits()
    {
        if (Codec is not null && !Codecs.CodecRegistry.IsValidId(Codec))
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
