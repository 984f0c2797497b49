using WeightShare.Engine;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;

namespace WeightShare.Reproduce;

/// <summary>
/// What one reproduction run is told on its command line. Mode "table" runs the paper's Table I experiment; mode
/// "summary" runs any codec with any settings and reports its solutions (the ablations of docs/results.md).
/// </summary>
public sealed record ExperimentOptions(string Name, string Model, IReadOnlyList<string> Data, string Output, Preprocessing Preprocessing, RunSettings Compression, string Mode = "table")
{
    public static ExperimentOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>();
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new InvalidInputException($"Expected --option value pairs; '{args[i]}' is not one.");
            }
            var key = args[i][2..];
            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = new List<string>();
            }
            list.Add(args[++i]);
        }

        string One(string key, string? fallback = null) =>
            values.TryGetValue(key, out var list) ? list[^1] : fallback ?? throw new InvalidInputException($"--{key} is required.");
        int Int(string key, int fallback) => int.Parse(One(key, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);

        var preprocessing = One("preprocessing", "none") switch
        {
            "none" => Preprocessing.None,
            "mnist" => Preprocessing.Mnist,
            "fashion-mnist" => Preprocessing.FashionMnist,
            "cifar" => Preprocessing.Cifar,
            "imagenet" => Preprocessing.ImageNet,
            var other => throw new InvalidInputException($"--preprocessing {other} is not one of none, mnist, fashion-mnist, cifar, imagenet."),
        };
        double Real(string key, double fallback) => double.Parse(One(key, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
        int? Maybe(string key) => values.ContainsKey(key) ? Int(key, 0) : null;
        var codecOptions = (values.TryGetValue("option", out var pairs) ? pairs : []).Select(p => p.Split('=', 2)).ToDictionary(
            p => p[0], p => p.Length == 2 ? p[1] : throw new InvalidInputException($"--option takes key=value, not '{p[0]}'."));
        // What the command line leaves out takes the product's own defaults (RunSettings, CalibrationSettings and the
        // codec's), so a summary run measures what a user's default run does; Table I keeps the paper's population.
        var calibrationDefaults = new CalibrationSettings();
        var compression = new RunSettings
        {
            Codec = One("codec", "paper"),
            CodecOptions = codecOptions,
            ValidationSamples = Maybe("validation"),
            Search = new SearchSettings(One("mode", "table") == "table" ? Int("population", 100) : Maybe("population"), Int("generations", 100), Int("kmin", 2), Int("kmax", 1024), Int("seed", 1), Maybe("patience"))
            {
                Racing = values.ContainsKey("racing") ? One("racing") == "on" : null,
                CandidateSamples = Maybe("candidate-samples"),
            },
            Merge = new MergeSettings(One("merge", "on") == "on", Real("tolerance", 0)),
            Objective = values.ContainsKey("objective") ? Enum.Parse<SizeObjective>(One("objective"), ignoreCase: true) : null,
            Calibration = calibrationDefaults with
            {
                Samples = Maybe("calibration-samples"),
                Steps = Int("calibration-steps", calibrationDefaults.Steps),
                BatchSize = Int("calibration-batch", calibrationDefaults.BatchSize),
                ValueLearningRate = Real("value-rate", calibrationDefaults.ValueLearningRate),
                SmallLearningRate = Real("small-rate", calibrationDefaults.SmallLearningRate),
                Budget = Int("budget", calibrationDefaults.Budget),
                TargetLoss = Real("target-loss", calibrationDefaults.TargetLoss),
                Patience = Int("calibration-patience", calibrationDefaults.Patience),
                Schedule = values.ContainsKey("calibration-schedule") ? Enum.Parse<WeightShare.Engine.Evaluation.CalibrationSchedule>(One("calibration-schedule"), ignoreCase: true) : calibrationDefaults.Schedule,
            },
        };
        SettingsResolver.Default.Check(compression);
        compression = SettingsResolver.Default.ForNewRun(compression);
        var mode = One("mode", "table");
        if (mode is not ("table" or "summary" or "plans"))
        {
            throw new InvalidInputException($"--mode {mode} is not table, summary or plans.");
        }
        return new ExperimentOptions(One("name"), One("model"), values.TryGetValue("data", out var data) ? data : throw new InvalidInputException("--data is required."), One("out"), preprocessing, compression, mode);
    }
}
