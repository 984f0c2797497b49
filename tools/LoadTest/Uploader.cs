using System.Net;

namespace WeightShare.LoadTest;

/// <summary>
/// One client uploading the fixture model again and again (POST /api/models). A 429 is the heavy-request queue's answer
/// when it is full; the uploader then waits its Retry-After, as the new-run page does, before the next try.
/// </summary>
public sealed class Uploader(Uri address, string modelPath, LatencyRecorder recorder)
{
    public const string Kind = "upload POST /api/models";

    /// <summary>Past the queue's own limit (120 s) and a margin: a request that takes longer is a timeout.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(150);

    public async Task RunAsync(CancellationToken stopping)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        while (!stopping.IsCancellationRequested)
        {
            var outcome = await recorder.MeasureAsync(Kind, async token =>
            {
                using var form = new MultipartFormDataContent { { ApiClient.FileContent(modelPath), "file", Path.GetFileName(modelPath) } };
                using var answer = await http.PostAsync(new Uri("/api/models", UriKind.Relative), form, token);
                await answer.Content.LoadIntoBufferAsync(token);
                return Outcome.Of(answer, HttpStatusCode.Created);
            }, Timeout, stopping);
            try
            {
                await Task.Delay(outcome.RetryAfter ?? (outcome.ErrorKind is null ? TimeSpan.Zero : TimeSpan.FromSeconds(1)), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
