namespace Farm.Device.Audio;

/// <summary>
/// What a track says about itself: CD-TEXT title and performer (pack types 80h/81h, ASCII) and
/// its ISRC (Q sub-channel mode 3; ISO 3901: country CC and registrant OOO alphanumeric, year YY
/// and designation NNNNN digits, 12 characters without hyphens).
/// </summary>
public sealed record AudioTrackInfo(string? Title = null, string? Performer = null, string? Isrc = null)
{
    public static AudioTrackInfo None { get; } = new();

    /// <summary>Checks the fields; the error says which one is wrong and what it must look like.</summary>
    public AudioTrackInfo Validate()
    {
        CdText.Check(Title, "track title");
        CdText.Check(Performer, "track performer");
        if (Isrc is not null && !IsIsrc(Isrc))
        {
            throw AudioErrors.Of(Errors.ImapiErrors.InvalidArgument,
                $"ISRC '{Isrc}' is not 12 characters CCOOOYYNNNNN (country and registrant letters or digits, year and designation digits), e.g. USRC17607839");
        }

        return this;
    }

    private static bool IsIsrc(string isrc) =>
        isrc.Length == 12
        && isrc[..5].All(char.IsAsciiLetterOrDigit)
        && isrc[..2].All(char.IsAsciiLetterUpper)
        && isrc[2..5].All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c))
        && isrc[5..].All(char.IsAsciiDigit);
}

/// <summary>What the disc says about itself: album title and performer (CD-TEXT) and its UPC/EAN (the media catalog number, 13 digits).</summary>
public sealed record AudioDiscInfo(string? Title = null, string? Performer = null, string? Catalog = null)
{
    public static AudioDiscInfo None { get; } = new();

    public bool HasCdText => Title is not null || Performer is not null;

    public AudioDiscInfo Validate()
    {
        CdText.Check(Title, "album title");
        CdText.Check(Performer, "album performer");
        if (Catalog is not null && (Catalog.Length != 13 || !Catalog.All(char.IsAsciiDigit)))
        {
            throw AudioErrors.Of(Errors.ImapiErrors.InvalidArgument,
                $"catalog number '{Catalog}' is not a 13-digit UPC/EAN (a 12-digit UPC takes a leading 0)");
        }

        return this;
    }
}

/// <summary>CD-TEXT text rules the farm keeps: printable ASCII (character code 00h, ISO 646) up to 160 characters.</summary>
internal static class CdText
{
    public const int MaximumLength = 160;

    public static void Check(string? text, string what)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length > MaximumLength || !text.All(c => c is >= ' ' and <= '~') || text.Contains('"', StringComparison.Ordinal))
        {
            throw AudioErrors.Of(Errors.ImapiErrors.InvalidArgument,
                $"{what} '{text}' must be printable ASCII without double quotes, at most {MaximumLength} characters (CD-TEXT character code 00h)");
        }
    }
}
