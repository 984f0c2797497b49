using System.Text.Json;
using System.Text.Json.Serialization;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Evaluation;

namespace WeightShare.Jobs.Runs;

/// <summary>The settings a user gives a run (api.md, POST /api/runs); every default is the paper's.</summary>
public sealed record RunSettings
{
    /// <summary>The JSON shape settings are stored and exchanged in: camelCase, enums as camelCase strings.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// The codec that represents the shared weights (<see cref="Engine.Codecs.CodecRegistry"/>). Settings stored
    /// before codecs existed name none: they were the paper's, so that stays the default here; new runs name theirs.
    /// </summary>
    public string Codec { get; init; } = Engine.Codecs.Paper.PaperCodec.CodecId;

    public int ValidationSamples { get; init; } = 1000;

    public Metric Metric { get; init; } = Metric.Accuracy;

    public SearchSettings Search { get; init; } = new();

    public MergeSettings Merge { get; init; } = new();

    /// <summary>The codec's own options (its levers); none by default.</summary>
    public Dictionary<string, string> CodecOptions { get; init; } = [];

    /// <summary>The search's second objective; null takes the codec's.</summary>
    public SizeObjective? Objective { get; init; }

    /// <summary>Calibration, for codecs that calibrate.</summary>
    public CalibrationSettings Calibration { get; init; } = new();

    /// <summary>
    /// Where the run's model passes run: "cpu" or "cuda". Null takes the server's <c>WeightShare:Device</c>; a stored run
    /// names the device it was given.
    /// </summary>
    public ComputeDevice? Device { get; init; }

    /// <summary>The Engine options for these settings, on the run's device or else <paramref name="device"/>.</summary>
    public CompressionOptions ToOptions(ComputeDevice device) => new()
    {
        Codec = Codec,
        ValidationSamples = ValidationSamples,
        Metric = Metric,
        Search = Search,
        Merge = Merge,
        CodecOptions = CodecOptions,
        Objective = Objective,
        Calibration = Calibration,
        Device = Device ?? device,
    };

    /// <summary>An enum value as the API writes it (camelCase), for messages.</summary>
    public static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunSettings FromJson(string json) =>
        JsonSerializer.Deserialize<RunSettings>(json, Json) ?? throw new InvalidOperationException("Run settings JSON is null.");
}
