namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>A host on Kestrel that serves one heavy request (upload, decompress) at a time and queues none.</summary>
public sealed class OneHeavyRequestAppFactory() : KestrelAppFactory(new Dictionary<string, string?>
{
    ["WeightShare:MaxConcurrentHeavyRequests"] = "1",
    ["WeightShare:MaxQueuedHeavyRequests"] = "0",
});
