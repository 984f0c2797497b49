using System.Net;

namespace WeightShare.LoadTest;

/// <summary>
/// One client downloading finished solutions' files in turn: the .wsz (checked against its listed size) and the
/// checkpoint, read to the end.
/// </summary>
public sealed class Downloader(Uri address, IReadOnlyList<SolutionFile> files, LatencyRecorder recorder)
{
    public const string WszKind = "download GET /api/solutions/{id}/compressed";
    public const string CheckpointKind = "download GET /api/solutions/{id}/checkpoint";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public async Task RunAsync(int first, CancellationToken stopping)
    {
        if (files.Count == 0)
        {
            return;
        }
        using var http = new HttpClient { BaseAddress = address, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        for (var i = first; !stopping.IsCancellationRequested; i++)
        {
            var file = files[i % files.Count];
            var wsz = await recorder.MeasureAsync(WszKind, token => FetchAsync(http, $"/api/solutions/{file.Id}/compressed", file.CompressedBytes, token), Timeout, stopping);
            var checkpoint = await recorder.MeasureAsync(CheckpointKind, token => FetchAsync(http, $"/api/solutions/{file.Id}/checkpoint", null, token), Timeout, stopping);
            if (wsz.ErrorKind is not null || checkpoint.ErrorKind is not null)
            {
                // No tight loop against a server that fails.
                await Task.Delay(TimeSpan.FromSeconds(1), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static async Task<Outcome> FetchAsync(HttpClient http, string path, long? length, CancellationToken cancellationToken)
    {
        using var answer = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var outcome = Outcome.Of(answer, HttpStatusCode.OK);
        await using var body = await answer.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[81920];
        long read = 0;
        int n;
        while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            read += n;
        }
        if (outcome.ErrorKind is null && length is { } expected && read != expected)
        {
            return Outcome.Error($"wrong length ({read} bytes, not {expected})");
        }
        return outcome;
    }
}
