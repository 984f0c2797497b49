namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>A host on Kestrel that serves one heavy request at a time and lets others wait for at most two seconds.</summary>
public sealed class ShortQueueWaitAppFactory() : KestrelAppFactory(new Dictionary<string, string?>
{
    ["WeightShare:MaxConcurrentHeavyRequests"] = "1",
    ["WeightShare:HeavyRequestQueueSeconds"] = "2",
});
