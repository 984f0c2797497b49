using System.Text.Encodings.Web;
using System.Text.Json;
using WeightShare.LoadTest;

// A bounded load test of one app process on loopback (issue 26): browsers (pages, static files, Blazor circuits, hub
// connections), uploaders and downloaders for a given time while two compression runs execute; prints a markdown
// table and writes DIR/report.json, DIR/report.md and DIR/server.log. scripts/loadtest.sh builds and runs it.
// Exit status: 0 when the load held (no request error, no server failure logged, both runs succeeded with the
// fronts they have alone), 1 when it did not, 2 on a usage or set-up error.
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupt.Cancel();
};
LoadReport report;
try
{
    report = await new LoadSession(options, Console.Out).RunAsync(interrupt.Token);
}
catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or TimeoutException or HttpRequestException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

var table = ReportTable.Render(report);
Console.WriteLine();
Console.WriteLine(table);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
{
    WriteIndented = true,
    Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    // A run that never finished has no duration (NaN).
    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
};
await File.WriteAllTextAsync(Path.Combine(options.Output, "report.json"), JsonSerializer.Serialize(report, json));
await File.WriteAllTextAsync(Path.Combine(options.Output, "report.md"), table);
Console.WriteLine($"Wrote {options.Output}/report.json and report.md");
return report.Held ? 0 : 1;
