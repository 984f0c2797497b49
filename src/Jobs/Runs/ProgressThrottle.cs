namespace WeightShare.Jobs.Runs;

/// <summary>Lets a progress tick through at most once per interval; forced ticks (phase ends) always pass.</summary>
internal sealed class ProgressThrottle(TimeSpan interval, TimeProvider time)
{
    private long? _last;

    public bool Allow(bool force = false)
    {
        var now = time.GetTimestamp();
        if (!force && _last is { } last && time.GetElapsedTime(last, now) < interval)
        {
            return false;
        }
        _last = now;
        return true;
    }
}
