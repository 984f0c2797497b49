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

    /// <summary>
    /// Class-balanced samples the search and the merge see; the rest give the test figures. Null lets the resolver
    /// decide (<see cref="SettingsResolver.DefaultValidationSamples"/>: 1,000, or with racing up to 3,000 where the
    /// dataset has room); a resolved run stores the number it used.
    /// </summary>
    public int? ValidationSamples { get; init; }

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
        settings = settings.Codec is null ? settings with { Codec = Codecs.Paper.PaperCodec.CodecId } : settings;
        return StoredBeforeCalibrationSchedule(json) ? settings with { Calibration = settings.Calibration.AsStoredBeforeSchedule() } : settings;
    }

    // Settings stored before calibration had a schedule (no "schedule" under "calibration"): the run calibrates as it
    // was created to, and its target means what it meant then.
    private static bool StoredBeforeCalibrationSchedule(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("calibration", out var calibration)
            && calibration.ValueKind == JsonValueKind.Object
            && !calibration.TryGetProperty("schedule", out _);
    }

    /// <summary>
    /// Every setting outside its limits, in the order the API names them (<see cref="CheckLimits"/> refuses the first):
    /// the checks that need neither model, data nor codec, so a form can show them all before it sends anything.
    /// </summary>
    public IReadOnlyList<SettingProblem> LimitProblems()
    {
        var problems = new List<SettingProblem>();
        if (Codec is not null && !Codecs.CodecRegistry.IsValidId(Codec))
        {
            problems.Add(new("codec", "must be a codec id such as \"paper\"", $"codec must be a codec id such as \"paper\" (got '{Codec}')."));
        }
        if (ValidationSamples is < 1)
        {
            problems.Add(new("validationSamples", "must be at least 1", $"validationSamples must be at least 1 (got {ValidationSamples}).", Min: 1));
        }
        if (Search.Population is < 4 or > 10_000)
        {
            problems.Add(SettingProblem.Between("search.population", 4, 10_000, Search.Population));
        }
        if (Search.Generations is < 1 or > 10_000)
        {
            problems.Add(SettingProblem.Between("search.generations", 1, 10_000, Search.Generations));
        }
        // One refusal in the API for the pair; a form marks the field that breaks it.
        var kRange = $"search.kMin and search.kMax must satisfy 1 <= kMin < kMax <= 65535 (got {Search.KMin} and {Search.KMax}).";
        if (Search.KMin < 1)
        {
            problems.Add(new("search.kMin", "must be at least 1", kRange, Min: 1));
        }
        if (Search.KMax > 65_535)
        {
            problems.Add(new("search.kMax", "must be at most 65535", kRange, Max: 65_535));
        }
        if (Search.KMin >= Search.KMax)
        {
            problems.Add(new("search.kMax", "must be greater than {search.kMin}", kRange));
        }
        if (!(Merge.Tolerance is >= 0 and <= 1))
        {
            problems.Add(SettingProblem.Between("merge.tolerance", 0, 1, Merge.Tolerance));
        }
        if (Search.CandidateSamples is < 1)
        {
            problems.Add(new("search.candidateSamples", "must be at least 1", $"search.candidateSamples must be at least 1 (got {Search.CandidateSamples}).", Min: 1));
        }
        if (Search.Patience is < 0 or > 10_000)
        {
            problems.Add(new("search.patience", "must be between 0 (off) and 10000",
                $"search.patience must be between 0 (off) and 10000 (got {Search.Patience}).", 0, 10_000));
        }
        problems.AddRange(Calibration.Problems());
        if (BatchSize is < 1 or > 65_536)
        {
            problems.Add(SettingProblem.Between("batchSize", 1, 65_536, BatchSize));
        }
        return problems;
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first setting outside its limits.</summary>
    internal void CheckLimits()
    {
        if (LimitProblems() is [var first, ..])
        {
            throw new InvalidInputException(first.Message);
        }
    }
}
