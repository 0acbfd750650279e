using System.Globalization;

namespace Farm.Device.Transports.Iscsi;

/// <summary>
/// An iSCSI logical unit address, libiscsi's URL form:
/// <c>iscsi://[user[%password]@]host[:port]/target-iqn/lun</c> (port 3260 by default; the target
/// name may be percent-encoded, e.g. %3A for ':'). Parsed here, not by libiscsi, so a malformed
/// address is reported before any native call and the parsing is unit-tested.
/// </summary>
public sealed record IscsiUrl(string Host, int Port, string Target, int Lun, string? User = null, string? Password = null)
{
    public const string Scheme = "iscsi://";
    public const int DefaultPort = 3260;

    /// <summary>No legitimate address is longer; libiscsi's own fields are 255 bytes each.</summary>
    private const int MaxLength = 1024;

    /// <summary>host:port as libiscsi's connect wants it (IPv6 hosts in brackets).</summary>
    public string Portal => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>The URL without credentials, for messages and logs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Scheme}{Portal}/{Target}/{Lun}");

    public static bool IsIscsi(string device) => device.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static IscsiUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return TryParse(url, out var parsed, out var problem)
            ? parsed
            : throw new ArgumentException($"'{Redact(url)}' is not an iSCSI address: {problem}; expected iscsi://host[:port]/iqn.target-name/lun", nameof(url));
    }

    public static bool TryParse(string url, out IscsiUrl parsed, out string? problem)
    {
        parsed = null!;
        if (url is null || url.Length > MaxLength)
        {
            problem = $"longer than {MaxLength} characters";
            return false;
        }

        if (!IsIscsi(url))
        {
            problem = $"it does not start with {Scheme}";
            return false;
        }

        var rest = url[Scheme.Length..];
        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var credentials = rest[..at];
            rest = rest[(at + 1)..];
            var split = credentials.IndexOf('%', StringComparison.Ordinal);
            user = split < 0 ? credentials : credentials[..split];
            password = split < 0 ? null : credentials[(split + 1)..];
        }

        var parts = rest.Split('/');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            problem = "it needs a host, a target name and a LUN separated by '/'";
            return false;
        }

        if (!TrySplitHostPort(parts[0], out var host, out var port, out problem))
        {
            return false;
        }

        if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var lun) || lun > 16383)
        {
            problem = $"LUN '{parts[2]}' is not a number from 0 to 16383";
            return false;
        }

        string target;
        try
        {
            target = Uri.UnescapeDataString(parts[1]);
        }
        catch (UriFormatException)
        {
            problem = "the target name has a bad %-escape";
            return false;
        }

        parsed = new IscsiUrl(host, port, target, lun, user, password);
        problem = null;
        return true;
    }

    private static bool TrySplitHostPort(string authority, out string host, out int port, out string? problem)
    {
        host = authority;
        port = DefaultPort;
        problem = null;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                problem = "an IPv6 host lacks its closing ']'";
                return false;
            }

            host = authority[1..close];
            if (close + 1 < authority.Length)
            {
                if (authority[close + 1] != ':')
                {
                    problem = "junk after the IPv6 host";
                    return false;
                }

                portText = authority[(close + 2)..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                host = authority[..colon];
                portText = authority[(colon + 1)..];
            }
        }

        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is 0 or > 65535))
        {
            problem = $"port '{portText}' is not a number from 1 to 65535";
            return false;
        }

        if (host.Length == 0)
        {
            problem = "the host is empty";
            return false;
        }

        return true;
    }

    /// <summary>Drops a password from a URL before it goes into a message.</summary>
    internal static string Redact(string url)
    {
        var at = url.LastIndexOf('@');
        return at < 0 ? url : Scheme + "***@" + url[(at + 1)..];
    }
}
