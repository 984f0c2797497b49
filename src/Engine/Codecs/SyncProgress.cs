namespace WeightShare.Engine.Codecs;

/// <summary>
/// Reports on the caller's thread, in order: <see cref="Progress{T}"/> would post each report to the thread pool,
/// where they could overtake each other.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
