namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>A host on Kestrel that serves one heavy request at a time and lets one more wait, for up to a minute.</summary>
public sealed class QueuedHeavyRequestAppFactory() : KestrelAppFactory(new Dictionary<string, string?>
{
    ["WeightShare:MaxConcurrentHeavyRequests"] = "1",
    ["WeightShare:MaxQueuedHeavyRequests"] = "1",
    ["WeightShare:HeavyRequestQueueSeconds"] = "60",
});
