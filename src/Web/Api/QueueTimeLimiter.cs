using System.Threading.RateLimiting;

namespace WeightShare.Web.Api;

/// <summary>
/// A limiter whose queued requests wait at most <paramref name="wait"/>: past it the request is refused (429, with a
/// reason) instead of waiting on behind a slow upload. Permits and the queue are <paramref name="inner"/>'s.
/// </summary>
internal sealed class QueueTimeLimiter(RateLimiter inner, TimeSpan wait) : RateLimiter
{
    /// <summary>The metadata of a refusal past the wait bound: what the request waited, in words.</summary>
    public static readonly MetadataName<string> Waited = MetadataName.Create<string>("weightshare.waited");

    /// <inheritdoc />
    public override TimeSpan? IdleDuration => inner.IdleDuration;

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics();

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(permitCount);

    /// <inheritdoc />
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            return await inner.AcquireAsync(permitCount, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WaitedTooLong(wait);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    /// <summary>The refusal of a request that waited its whole bound in the queue.</summary>
    private sealed class WaitedTooLong(TimeSpan wait) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [Waited.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == Waited.Name ? $"waited {wait.TotalSeconds:0} s in the queue" : null;
            return metadata is not null;
        }
    }
}
