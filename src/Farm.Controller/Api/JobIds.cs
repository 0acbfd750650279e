using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Farm.Controller.Api;

/// <summary>
/// Job ids as the ledger has always made them: <c>{yyyyMMdd-HHmmss}-{6 hex}</c>, the submission
/// time (UTC) then six hex digits. Without an Idempotency-Key the digits are random; with one they
/// are the first digits of the key's SHA-256, so a retried submission can be recognised by any
/// controller process (the key itself is never stored).
/// </summary>
public static class JobIds
{
    /// <summary>A new id for a submission at <paramref name="now"/>.</summary>
    public static string New(DateTimeOffset now) => Format(now, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)));

    /// <summary>The id a submission with this key gets when first seen at <paramref name="now"/>.</summary>
    public static string ForKey(DateTimeOffset now, string idempotencyKey) => Format(now, KeySuffix(idempotencyKey));

    /// <summary>The six hex digits that end the id of every job submitted with this key.</summary>
    public static string KeySuffix(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..6];
    }

    private static string Format(DateTimeOffset now, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd-HHmmss}-{suffix}");
}
