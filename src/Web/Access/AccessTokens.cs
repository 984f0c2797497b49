using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WeightShare.Web.Access;

/// <summary>
/// The access tokens this process accepts, held only as SHA-256 hashes: those of WeightShare:AccessTokens, and
/// WeightShare:AccessTokenHashes as given (for operators who keep no token in plain text). With none, access is open.
/// </summary>
public sealed class AccessTokens
{
    private readonly byte[][] _hashes;

    public AccessTokens(IOptions<WebOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var web = options.Value;
        _hashes = [.. web.AccessTokens.Where(t => !string.IsNullOrWhiteSpace(t)).Select(Hash),
            .. web.AccessTokenHashes.Where(h => !string.IsNullOrWhiteSpace(h)).Select(ParseHash)];
    }

    /// <summary>Whether any token is configured, and so every request but sign-in, health and static files needs one.</summary>
    public bool Required => _hashes.Length > 0;

    /// <summary>Whether <paramref name="token"/> is one of the configured tokens, compared in constant time.</summary>
    public bool Accepts(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return false;
        }
        return IsKnown(Hash(token));
    }

    /// <summary>Whether <paramref name="hexHash"/> (as <see cref="HashOf"/> gives it) is the hash of a configured token.</summary>
    public bool AcceptsHash(string? hexHash)
    {
        if (hexHash is not { Length: 64 })
        {
            return false;
        }
        byte[] hash;
        try
        {
            hash = Convert.FromHexString(hexHash);
        }
        catch (FormatException)
        {
            return false;
        }
        return IsKnown(hash);
    }

    // Compares with every configured hash, always all of them, so the time taken says nothing about which matched.
    private bool IsKnown(byte[] hash)
    {
        var accepted = false;
        foreach (var known in _hashes)
        {
            accepted |= CryptographicOperations.FixedTimeEquals(hash, known);
        }
        return accepted;
    }

    /// <summary>The SHA-256 of a token, as WeightShare:AccessTokenHashes holds it (64 hex digits).</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(Hash(token));

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static byte[] ParseHash(string hex)
    {
        try
        {
            var bytes = Convert.FromHexString(hex.Trim());
            if (bytes.Length == SHA256.HashSizeInBytes)
            {
                return bytes;
            }
        }
        catch (FormatException)
        {
        }
        throw new OptionsValidationException(nameof(WebOptions.AccessTokenHashes), typeof(WebOptions),
            [$"WeightShare:AccessTokenHashes holds '{hex}', which is not the 64 hex digits of a SHA-256."]);
    }
}
