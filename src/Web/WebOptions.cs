namespace WeightShare.Web;

/// <summary>Settings of the web host, bound from the "WeightShare" section next to the job layer's.</summary>
public sealed class WebOptions
{
    /// <summary>The largest upload accepted, in bytes (the whole multipart request).</summary>
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>
    /// The largest file /api/decompress rebuilds, in bytes (413 beyond it): decoding holds the rebuilt file in memory, and
    /// a small .wsz can claim a large one.
    /// </summary>
    public long MaxDecompressedBytes { get; set; } = 1L << 30;

    /// <summary>Lets other machines open /hangfire; off by default, so only local requests see the dashboard.</summary>
    public bool DashboardRemoteAccess { get; set; }
}
