namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>
/// A host whose uploads may reach 4 GiB: with the default 2 GiB cap, a multipart upload of a file over the .wsz
/// format's limit is already over the cap (the two are 57 bytes apart), so only a raised cap lets one through to the
/// model's own checks.
/// </summary>
public sealed class LargeUploadAppFactory() : WebAppFactory(new Dictionary<string, string?>
{
    ["WeightShare:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
})
{
    public const long MaxUploadBytes = 4L << 30;
}
