using System.Net;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>Sends the first bytes of another content, then holds the rest back until <see cref="Release"/>: a slow upload.</summary>
public sealed class HeldContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldContent(HttpContent inner)
    {
        _inner = inner;
        Headers.ContentType = inner.Headers.ContentType;
    }

    /// <summary>Completes once the first bytes are sent.</summary>
    public Task Started => _started.Task;

    public void Release() => _released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var bytes = await _inner.ReadAsByteArrayAsync();
        await stream.WriteAsync(bytes.AsMemory(0, 64));
        await stream.FlushAsync();
        _started.TrySetResult();
        await _released.Task;
        await stream.WriteAsync(bytes.AsMemory(64));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? 0;
        return _inner.Headers.ContentLength is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _released.TrySetResult();
        }
        base.Dispose(disposing);
    }
}
