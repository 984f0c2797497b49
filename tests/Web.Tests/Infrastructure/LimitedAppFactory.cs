namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>A host configured away from the defaults: uploads capped at 64 KiB and the job dashboard open to other machines.</summary>
public sealed class LimitedAppFactory() : WebAppFactory(new Dictionary<string, string?>
{
    ["WeightShare:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["WeightShare:DashboardRemoteAccess"] = "true",
})
{
    public const long MaxUploadBytes = 64 * 1024;
}
