using System.Globalization;

namespace WeightShare.LoadTest;

/// <summary>What one load test is told on its command line.</summary>
/// <param name="Web">WeightShare.Web.dll of the build to start.</param>
/// <param name="Fixtures">tests/fixtures/out: the fixture CNN and the Fashion-MNIST IDX pair.</param>
/// <param name="Output">Where the JSON report, the markdown table and the server's log go.</param>
/// <param name="Seconds">How long the browsers, uploaders and downloaders are driven.</param>
/// <param name="Browsers">Simulated browsers: pages, their static files, a Blazor circuit and a hub connection each.</param>
/// <param name="Uploads">Concurrent uploaders of the fixture model.</param>
/// <param name="Downloads">Concurrent downloaders of finished solutions' files.</param>
/// <param name="ThinkMilliseconds">A browser's pause between two page loads (a user reading the page).</param>
/// <param name="Circuits">Whether browsers open the page's Blazor Server circuit (/_blazor) as blazor.web.js does.</param>
/// <param name="Generations">Generations of each compression run.</param>
public sealed record LoadOptions(
    string Web,
    string Fixtures,
    string Output,
    int Seconds,
    int Browsers,
    int Uploads,
    int Downloads,
    int ThinkMilliseconds,
    bool Circuits,
    int Generations)
{
    public const string Usage = """
        Usage: WeightShare.LoadTest --web PATH/WeightShare.Web.dll --fixtures tests/fixtures/out --out DIR
               [--seconds 120] [--browsers 20] [--uploads 4] [--downloads 4] [--think-ms 1000] [--circuits on|off]
               [--generations 8]
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected --option value pairs; '{args[i]}' is not one.");
            }
            values[args[i][2..]] = args[i + 1];
        }

        string One(string key) => values.TryGetValue(key, out var value) ? value : throw new ArgumentException($"--{key} is required.");
        int Count(string key, int fallback, int min)
        {
            if (!values.TryGetValue(key, out var text))
            {
                return fallback;
            }
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
                ? value
                : throw new ArgumentException($"--{key} takes a whole number of at least {min}, not '{text}'.");
        }

        var circuits = values.GetValueOrDefault("circuits", "on") switch
        {
            "on" => true,
            "off" => false,
            var other => throw new ArgumentException($"--circuits takes on or off, not '{other}'."),
        };
        var known = new[] { "web", "fixtures", "out", "seconds", "browsers", "uploads", "downloads", "think-ms", "circuits", "generations" };
        var unknown = values.Keys.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option --{unknown[0]}.");
        }
        return new LoadOptions(
            Path.GetFullPath(One("web")),
            Path.GetFullPath(One("fixtures")),
            Path.GetFullPath(One("out")),
            Count("seconds", 120, 1),
            Count("browsers", 20, 0),
            Count("uploads", 4, 0),
            Count("downloads", 4, 0),
            Count("think-ms", 1000, 0),
            circuits,
            Count("generations", 8, 1));
    }
}
