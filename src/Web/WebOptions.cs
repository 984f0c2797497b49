namespace WeightShare.Web;

/// <summary>Settings of the web host, bound from the "WeightShare" section next to the job layer's.</summary>
public sealed class WebOptions
{
    /// <summary>The largest upload accepted, in bytes (the whole multipart request).</summary>
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>Lets other machines open /hangfire; off by default, so only local requests see the dashboard.</summary>
    public bool DashboardRemoteAccess { get; set; }
}
