using System.Globalization;
using System.Text;

namespace Farm.Device.Audio;

/// <summary>
/// Writes a staged audio disc as a cue/bin pair, the interchange form other tools read
/// (libcdio's cd-info, cdrdao's toc2cue/show-toc, cdrecord -cuefile): the .bin holds every track's
/// 2352-byte blocks from track 1's index 1 on (the 2-second pre-gap is implied, as a CD image's
/// first track has it), little-endian as the cue keyword BINARY says; the .cue says CATALOG,
/// album and track TITLE/PERFORMER (CD-TEXT), ISRC and each track's INDEX 01 as MSF from the
/// start of the file. Both files are new: existing ones are not overwritten.
/// </summary>
public static class CueBinExport
{
    public static async Task WriteAsync(AudioDiscLayout layout, string cuePath, string binPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentException.ThrowIfNullOrEmpty(cuePath);
        ArgumentException.ThrowIfNullOrEmpty(binPath);
        var bin = new FileStream(binPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        await using (bin.ConfigureAwait(false))
        {
            var buffer = new byte[CdAddress.BlockBytes * 256];
            for (long lba = 0; lba < layout.LeadOutLba; lba += 256)
            {
                int blocks = (int)Math.Min(256, layout.LeadOutLba - lba);
                layout.ReadBlocks(lba, buffer.AsSpan(0, blocks * CdAddress.BlockBytes));
                await bin.WriteAsync(buffer.AsMemory(0, blocks * CdAddress.BlockBytes), cancellationToken).ConfigureAwait(false);
            }
        }

        await File.WriteAllTextAsync(cuePath, CueText(layout, Path.GetFileName(binPath)), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cue sheet text for <paramref name="layout"/> with its audio in <paramref name="binName"/>.</summary>
    public static string CueText(AudioDiscLayout layout, string binName)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var cue = new StringBuilder();
        var disc = layout.Disc;
        Line(cue, 0, "CATALOG", disc.Catalog, quoted: false);
        Line(cue, 0, "PERFORMER", disc.Performer, quoted: true);
        Line(cue, 0, "TITLE", disc.Title, quoted: true);
        cue.Append(CultureInfo.InvariantCulture, $"FILE \"{binName}\" BINARY\n");
        foreach (var track in layout.Tracks)
        {
            cue.Append(CultureInfo.InvariantCulture, $"  TRACK {track.Number:D2} AUDIO\n");
            Line(cue, 4, "TITLE", track.Track.Info.Title, quoted: true);
            Line(cue, 4, "PERFORMER", track.Track.Info.Performer, quoted: true);
            Line(cue, 4, "ISRC", track.Track.Info.Isrc, quoted: false);
            cue.Append(CultureInfo.InvariantCulture, $"    INDEX 01 {CdAddress.Duration(track.StartLba)}\n");
        }

        return cue.ToString();
    }

    private static void Line(StringBuilder cue, int indent, string keyword, string? value, bool quoted)
    {
        if (value is null)
        {
            return;
        }

        cue.Append(' ', indent).Append(keyword).Append(' ').Append(quoted ? $"\"{value}\"" : value).Append('\n');
    }
}
