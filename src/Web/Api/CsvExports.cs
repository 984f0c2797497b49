using System.Globalization;
using CsvHelper;
using WeightShare.Jobs.Events;

namespace WeightShare.Web.Api;

/// <summary>
/// A run's figures as CSV for spreadsheets and notebooks: the final solutions, and every evaluated member of every
/// generation. One column per codec gene, named after it; numbers in invariant culture; empty cells for figures not
/// known yet. A run whose metric is a signal-to-noise ratio has it in dB in the column snrDb (its metric columns hold
/// dB / 100); the last six columns are the metric's own 95 % interval where it has no loss interval (outputFidelity).
/// The evaluations' validationSamplesUsed says how many validation samples each evaluation measured (fewer than
/// the split where racing stopped it early).
/// </summary>
public static class CsvExports
{
    public static string Solutions(IReadOnlyList<SolutionInfo> solutions)
    {
        ArgumentNullException.ThrowIfNull(solutions);
        var genes = GeneNames(solutions.Select(s => s.Parameters));
        return Write(csv =>
        {
            Header(csv, ["id", "codec", .. genes, "sharedValues", "validationMetric", "validationAccuracy", "testAccuracy",
                "validationLoss", "validationLossLower", "validationLossUpper", "testLoss", "testLossLower", "testLossUpper", "bitsPerWeight",
                "compressedBytes", "fileCompressionRatio", "paperCompressionRatio", "merged", "dominated", "recommended", "atChanceLevel", "ready", "description", "snrDb",
                "validationInterval", "validationIntervalLower", "validationIntervalUpper", "testInterval", "testIntervalLower", "testIntervalUpper"]);
            foreach (var s in solutions)
            {
                Row(csv, [s.Id, s.Codec, .. genes.Select(g => Cell(s.Parameters.TryGetValue(g, out var v) ? v : null)), Cell(s.SharedValues),
                    Cell(s.ValidationMetric), Cell(s.ValidationAccuracy), Cell(s.TestAccuracy),
                    Cell(s.ValidationLoss?.Loss), Cell(s.ValidationLoss?.Lower), Cell(s.ValidationLoss?.Upper), Cell(s.TestLoss?.Loss), Cell(s.TestLoss?.Lower), Cell(s.TestLoss?.Upper),
                    Cell(s.BitsPerWeight), Cell(s.CompressedBytes),
                    Cell(s.FileCompressionRatio), Cell(s.PaperCompressionRatio), Cell(s.Merged), Cell(s.Dominated), Cell(s.Recommended), Cell(s.AtChanceLevel), Cell(s.Ready), s.Description, Cell(s.SnrDb),
                    Cell(s.ValidationInterval?.Value), Cell(s.ValidationInterval?.Lower), Cell(s.ValidationInterval?.Upper),
                    Cell(s.TestInterval?.Value), Cell(s.TestInterval?.Lower), Cell(s.TestInterval?.Upper)]);
            }
        });
    }

    public static string Evaluations(IReadOnlyList<GenerationInfo> generations)
    {
        ArgumentNullException.ThrowIfNull(generations);
        var genes = GeneNames(generations.SelectMany(g => g.Population).Select(p => p.Parameters));
        return Write(csv =>
        {
            Header(csv, ["generation", .. genes, "sharedValues", "validationMetric", "bytes", "inFront", "validationSamplesUsed"]);
            foreach (var generation in generations)
            {
                var front = generation.Front.Select(Key).ToHashSet();
                foreach (var point in generation.Population)
                {
                    Row(csv, [Cell(generation.Generation), .. genes.Select(g => Cell(point.Parameters is { } p && p.TryGetValue(g, out var v) ? v : null)),
                        Cell(point.SharedValues), Cell(point.ValidationMetric ?? point.ValidationAccuracy), Cell(point.Bytes), Cell(front.Contains(Key(point))), Cell(point.ValidationSamplesUsed)]);
                }
            }
        });
    }

    private static string Key(FrontPoint point) =>
        $"{string.Join(",", (point.Parameters ?? new Dictionary<string, int>()).Select(p => $"{p.Key}={p.Value}"))}|{point.SharedValues}|{point.ValidationAccuracy}";

    private static List<string> GeneNames(IEnumerable<IReadOnlyDictionary<string, int>?> parameters)
    {
        var names = new List<string>();
        foreach (var name in parameters.Where(p => p is not null).SelectMany(p => p!.Keys).Where(name => !names.Contains(name)))
        {
            names.Add(name);
        }
        return names;
    }

    private static string Write(Action<CsvWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, CsvWriterOptions.Default, true))
        {
            write(csv);
        }
        return text.ToString();
    }

    private static void Header(CsvWriter csv, IEnumerable<string> names) => csv.WriteHeader([.. names]);

    private static void Row(CsvWriter csv, IEnumerable<string> cells) => csv.WriteRecord([.. cells]);

    private static string Cell(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
