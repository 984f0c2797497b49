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
    /// wait in a queue (<see cref="MaxQueuedHeavyRequests"/>).
    /// </summary>
    public int MaxConcurrentHeavyRequests { get; set; } = 4;

    /// <summary>
    /// How many heavy requests wait, oldest first, while <see cref="MaxConcurrentHeavyRequests"/> are served; more get
    /// 429 with Retry-After. 0 refuses at once.
    /// </summary>
    public int MaxQueuedHeavyRequests { get; set; } = 32;

    /// <summary>How long a heavy request waits in the queue before it gets 429 with Retry-After, in seconds.</summary>
    public int HeavyRequestQueueSeconds { get; set; } = 120;

    /// <summary>
    /// Access tokens (long random strings): when any is configured here or in <see cref="AccessTokenHashes"/>, every
    /// page, endpoint, hub and the job dashboard needs one (a bearer header, or a browser's sign-in at /signin).
    /// </summary>
    public IList<string> AccessTokens { get; } = [];

    /// <summary>SHA-256 hashes (64 hex digits) of further access tokens, for operators who keep no token in plain text.</summary>
    public IList<string> AccessTokenHashes { get; } = [];

    /// <summary>
    /// Lets the app listen on an address other machines can reach with no access token; off by default, so such a
    /// process refuses to start.
    /// </summary>
    public bool AllowAnonymousNetworkAccess { get; set; }

    /// <summary>Lets other machines open /hangfire; off by default, so only local requests see the dashboard.</summary>
    public bool DashboardRemoteAccess { get; set; }
}
