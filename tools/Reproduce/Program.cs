using System.Globalization;
using System.Text.Json;
using WeightShare.Engine;
using WeightShare.Reproduce;

// Runs the paper's experiment on one model with the product's engine and writes report.json and table.md.
// Usage: WeightShare.Reproduce --name NAME --model FILE --data FILE [--data FILE] --out DIR
//        [--preprocessing none|mnist|fashion-mnist|cifar|imagenet] [--population 100] [--generations 100]
//        [--kmin 2] [--kmax 1024] [--seed 1] [--validation 1000] [--tolerance 0]
try
{
    var options = ExperimentOptions.Parse(args);
    var log = new Progress<string>(line => Console.WriteLine(line));
    Directory.CreateDirectory(options.Output);
    if (options.Mode == "plans")
    {
        var plans = args.Select((a, i) => (a, i)).Where(p => p.a == "--plan" && p.i + 1 < args.Length)
            .Select(p => args[p.i + 1].Split(',').Select(g => int.Parse(g, CultureInfo.InvariantCulture)).ToArray()).ToList();
        var sweep = PlanSweep.Run(options, plans, log, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(options.Output, "plans.json"), JsonSerializer.Serialize(sweep, Experiment.Json));
        await File.WriteAllTextAsync(Path.Combine(options.Output, "test_indices.json"), JsonSerializer.Serialize(sweep.TestIndices));
        Console.WriteLine($"Wrote {options.Output}/plans.json");
        return 0;
    }
    if (options.Mode == "summary")
    {
        var summary = await RunSummary.RunAsync(options, log, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(options.Output, "summary.json"), JsonSerializer.Serialize(summary, Experiment.Json));
        await File.WriteAllTextAsync(Path.Combine(options.Output, "test_indices.json"), JsonSerializer.Serialize(summary.TestIndices));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {options.Output}/summary.json: best within 0.5 point {summary.BestWithinHalfPoint?.FileRatio:F2}x ({summary.BestWithinHalfPoint?.Description}), within 1 point {summary.BestWithinOnePoint?.FileRatio:F2}x, {summary.TotalSeconds:F0} s"));
        return 0;
    }
    var report = await Experiment.RunAsync(options, log, CancellationToken.None);
    await File.WriteAllTextAsync(Path.Combine(options.Output, "report.json"), JsonSerializer.Serialize(report, Experiment.Json));
    await File.WriteAllTextAsync(Path.Combine(options.Output, "table.md"), ResultsTable.Render(report));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {options.Output}/report.json and table.md"));
    return 0;
}
catch (InvalidInputException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
