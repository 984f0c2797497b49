using WeightShare.Engine;
using WeightShare.Engine.Compression;
using WeightShare.Engine.Datasets;

namespace WeightShare.Reproduce;

/// <summary>What one reproduction run is told on its command line.</summary>
public sealed record ExperimentOptions(string Name, string Model, IReadOnlyList<string> Data, string Output, Preprocessing Preprocessing, CompressionOptions Compression)
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
        var compression = new CompressionOptions
        {
            ValidationSamples = Int("validation", 1000),
            Search = new SearchSettings(Int("population", 100), Int("generations", 100), Int("kmin", 2), Int("kmax", 1024), Int("seed", 1)),
            Merge = new MergeSettings(true, double.Parse(One("tolerance", "0"), System.Globalization.CultureInfo.InvariantCulture)),
        };
        compression.Validate();
        return new ExperimentOptions(One("name"), One("model"), values.TryGetValue("data", out var data) ? data : throw new InvalidInputException("--data is required."), One("out"), preprocessing, compression);
    }
}
