using WeightShare.Web.Access;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>A host on Kestrel listening on every address (as a team server would), with one plain and one hashed access token.</summary>
public sealed class TokenAppFactory() : KestrelAppFactory(new Dictionary<string, string?>
{
    ["WeightShare:AccessTokens:0"] = Token,
    ["WeightShare:AccessTokenHashes:0"] = AccessTokens.HashOf(HashedToken),
}, anyAddress: true)
{
    public const string Token = "wsw-test-token-4f1c9a";
    public const string HashedToken = "wsw-hashed-token-77d2e0";
}
