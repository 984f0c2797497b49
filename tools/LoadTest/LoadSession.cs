using System.Diagnostics;

namespace WeightShare.LoadTest;

/// <summary>
/// One load test from start to end: start the app, upload the fixtures, run both plans alone (the reference fronts,
/// and finished files to download), then start both plans again and drive the browsers, uploaders and downloaders for
/// the time given while sampling the server's memory; then wait for the runs and compare their fronts with the alone
/// ones.
/// </summary>
public sealed class LoadSession(LoadOptions options, TextWriter log)
{
    /// <summary>Longest a run may take, alone or after the load, before the report says so and goes on.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(15);

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTime.UtcNow;
        Directory.CreateDirectory(options.Output);
        await using var server = await ServerProcess.StartAsync(options.Web, Path.Combine(options.Output, "server.log"), cancellationToken);
        log.WriteLine($"app {server.Id} answers at {server.Address} (data in {server.DataDirectory})");
        using var api = new ApiClient(server.Address);
        var modelPath = Path.Combine(options.Fixtures, "fmnist_cnn.pt");
        var model = await api.UploadModelAsync(modelPath, cancellationToken);
        var dataset = await api.UploadDatasetAsync(Path.Combine(options.Fixtures, "eval-images-idx3-ubyte.gz"), Path.Combine(options.Fixtures, "eval-labels-idx1-ubyte.gz"), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var idleAfterStart = server.ResidentBytes();

        var plans = RunPlan.Both(options.Generations);
        var alone = new List<RunFront>();
        foreach (var plan in plans)
        {
            var id = await api.StartRunAsync(plan, model, dataset, cancellationToken);
            var front = await api.WaitForFrontAsync(id, RunTimeout, cancellationToken);
            log.WriteLine($"alone: {plan.Name} run {id} {front.Status} in {front.Seconds:F1} s, {front.Files.Count} solutions ready");
            alone.Add(front);
        }
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var idleBeforeLoad = server.ResidentBytes();
        var files = alone.SelectMany(f => f.Files).ToList();

        var recorder = new LatencyRecorder();
        var loadRuns = new List<string>();
        foreach (var plan in plans)
        {
            loadRuns.Add(await api.StartRunAsync(plan, model, dataset, cancellationToken));
        }
        log.WriteLine($"load: {options.Browsers} browsers, {options.Uploads} uploaders, {options.Downloads} downloaders for {options.Seconds} s; runs {string.Join(", ", loadRuns)}");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stopping.CancelAfter(TimeSpan.FromSeconds(options.Seconds));
        var clock = Stopwatch.StartNew();
        var peak = 0L;
        var sampler = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                peak = Math.Max(peak, server.ResidentBytes());
                await Task.Delay(250, CancellationToken.None);
            }
        }, CancellationToken.None);
        var clients = new List<Task>();
        for (var i = 0; i < options.Browsers; i++)
        {
            var index = i;
            // Staggered over one think time, so the tabs do not all load their pages in the same instant.
            clients.Add(Task.Run(async () =>
            {
                await Task.Delay(options.ThinkMilliseconds * index / Math.Max(1, options.Browsers), CancellationToken.None);
                await new Browser(server.Address, loadRuns, options, recorder).RunAsync(index, stopping.Token);
            }, CancellationToken.None));
        }
        for (var i = 0; i < options.Uploads; i++)
        {
            clients.Add(Task.Run(() => new Uploader(server.Address, modelPath, recorder).RunAsync(stopping.Token), CancellationToken.None));
        }
        for (var i = 0; i < options.Downloads; i++)
        {
            var first = i;
            clients.Add(Task.Run(() => new Downloader(server.Address, files, recorder).RunAsync(first, stopping.Token), CancellationToken.None));
        }
        await Task.WhenAll(clients);
        await sampler;
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var loadEnded = DateTime.UtcNow;
        log.WriteLine($"load ended after {loadSeconds:F0} s; waiting for the runs");

        var comparisons = new List<RunComparison>();
        for (var i = 0; i < plans.Count; i++)
        {
            var front = await api.WaitForFrontAsync(loadRuns[i], RunTimeout, cancellationToken);
            var within = front.FinishedAt is { } finished && finished <= loadEnded;
            comparisons.Add(new RunComparison(plans[i].Name, alone[i], front, within));
            log.WriteLine($"under load: {plans[i].Name} run {front.RunId} {front.Status} in {front.Seconds:F1} s; same front as alone: {alone[i].SameAs(front)}");
        }
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var memory = new MemoryFigures(idleAfterStart, idleBeforeLoad, peak, server.ResidentBytes(), server.PeakResidentBytes());
        return new LoadReport(startedAt, options, loadSeconds, recorder.Summarise(), memory, comparisons, server.Failures, server.Warnings);
    }
}
