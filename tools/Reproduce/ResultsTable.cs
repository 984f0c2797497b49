using System.Globalization;
using System.Text;

namespace WeightShare.Reproduce;

/// <summary>Renders a report as a table shaped like the paper's Table I.</summary>
public static class ResultsTable
{
    public static string Render(ExperimentReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"| {report.Name} | validation accuracy | test accuracy | k | shared values | average bits | paper ratio | file ratio |"));
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        text.AppendLine(Invariant($"| Baseline | {Percent(report.BaselineValidationAccuracy)} | {Percent(report.BaselineTestAccuracy)} | - | 32-bit floats | 32 | 1.00x | 1.00x |"));
        Row(text, "Random k", [report.RandomK], huffman: false);
        Row(text, "MO front", report.Front, huffman: false);
        Row(text, "+ merge", report.Merged, huffman: false);
        Row(text, "+ merge + Huffman", report.Merged, huffman: true);
        return text.ToString();
    }

    private static void Row(StringBuilder text, string label, IReadOnlyList<SolutionRow> rows, bool huffman)
    {
        if (rows.Count == 0)
        {
            text.AppendLine(Invariant($"| {label} | none | | | | | | |"));
            return;
        }
        var bits = rows.Select(r => huffman ? r.HuffmanBits : r.FixedBits).ToList();
        var file = huffman ? Range(rows.Select(r => r.FileRatio), "F2", "x") : "-";
        text.AppendLine(Invariant(
            $"| {label} | {Range(rows.Select(r => r.ValidationAccuracy * 100), "F2", " %")} | {Range(rows.Select(r => r.TestAccuracy * 100), "F2", " %")} | {Range(rows.Select(r => (double)r.K), "F0", "")} | {Range(rows.Select(r => (double)r.SharedValues), "F0", "")} | {Range(bits, huffman ? "F2" : "F0", "")} | {Range(bits.Select(b => 32 / b), "F2", "x")} | {file} |"));
    }

    private static string Range(IEnumerable<double> values, string format, string unit)
    {
        var list = values.ToList();
        var low = list.Min().ToString(format, CultureInfo.InvariantCulture);
        var high = list.Max().ToString(format, CultureInfo.InvariantCulture);
        return low == high ? low + unit : $"{low}-{high}{unit}";
    }

    private static string Percent(double value) => (value * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
