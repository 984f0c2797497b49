namespace WeightShare.Web;

/// <summary>Settings of the web host, bound from the "WeightShare" section next to the job layer's.</summary>
public sealed class WebOptions
{
    /// <summary>The largest upload accepted, in bytes (the whole multipart request).</summary>
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>
    /// The largest file /api/decompress rebuilds, in bytes (413 beyond it): the rebuilt file is written to the data
    /// directory's temporary folder before it is sent, and a small .wsz can claim a large one.
    /// </summary>
    public long MaxDecompressedBytes { get; set; } = 1L << 30;

    /// <summary>
    /// How many requests that parse or rebuild whole files (uploads, /api/decompress) one process serves at once; more
    /// get 429 with Retry-After.
    /// </summary>
    public int MaxConcurrentHeavyRequests { get; set; } = 4;

    /// <summary>Lets other machines open /hangfire; off by default, so only local requests see the dashboard.</summary>
    public bool DashboardRemoteAccess { get; set; }
}
