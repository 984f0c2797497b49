using System.Globalization;
using System.Text.Json;

namespace WeightShare.LoadTest;

/// <summary>
/// A finished run's result as the API gives it: every solution's genes, sizes and validation and test figures, and the
/// last generation's front, as lines to compare between the run under load and the same plan run alone.
/// </summary>
public sealed record RunFront(string RunId, string Status, int Generation, double Seconds, DateTime? FinishedAt, IReadOnlyList<string> Lines, IReadOnlyList<SolutionFile> Files)
{
    public static RunFront Of(JsonElement run, JsonElement solutions, JsonElement generations)
    {
        static string Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble().ToString("R", CultureInfo.InvariantCulture) : "null";
        static string Field(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.Number ? Number(v) : v.ToString()) : "-";

        var lines = new List<string>();
        var files = new List<SolutionFile>();
        foreach (var s in solutions.EnumerateArray())
        {
            lines.Add($"solution {Field(s, "parameters")} {Field(s, "description")} values {Field(s, "sharedValues")} bytes {Field(s, "compressedBytes")} " +
                $"val {Field(s, "validationMetric")} valAcc {Field(s, "validationAccuracy")} test {Field(s, "testAccuracy")} loss {Field(s, "validationLoss")}");
            if (s.GetProperty("ready").GetBoolean())
            {
                files.Add(new SolutionFile(s.GetProperty("id").GetString()!, s.GetProperty("compressedBytes").GetInt64()));
            }
        }
        var all = generations.EnumerateArray().ToArray();
        if (all.Length > 0)
        {
            foreach (var p in all[^1].GetProperty("front").EnumerateArray())
            {
                lines.Add($"front {Field(p, "parameters")} values {Field(p, "sharedValues")} bytes {Field(p, "bytes")} val {Field(p, "validationMetric")}");
            }
        }
        var started = run.GetProperty("startedAt");
        var finished = run.GetProperty("finishedAt");
        var seconds = started.ValueKind == JsonValueKind.String && finished.ValueKind == JsonValueKind.String
            ? (finished.GetDateTime() - started.GetDateTime()).TotalSeconds
            : double.NaN;
        return new RunFront(run.GetProperty("id").GetString()!, run.GetProperty("status").GetString()!, run.GetProperty("generation").GetInt32(), seconds,
            finished.ValueKind == JsonValueKind.String ? finished.GetDateTime().ToUniversalTime() : null, lines, files);
    }

    /// <summary>Whether the two fronts are the same, line for line (ids and times aside).</summary>
    public bool SameAs(RunFront other) => Lines.SequenceEqual(other.Lines, StringComparer.Ordinal);
}
