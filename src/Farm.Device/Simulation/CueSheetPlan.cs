using Farm.Device.Audio;

namespace Farm.Device.Simulation;

/// <summary>One track of an accepted cue sheet: from its index 1 to the next track's index 1 (or the lead-out).</summary>
internal sealed record CueTrack(int Number, long StartLba, long EndLba, int Control);

/// <summary>
/// A cue sheet SEND CUE SHEET delivered, checked as a strict drive would (MMC-5 "Session At Once
/// Recording" and its cue sheet format; Red Book for the audio rules). What the simulator takes:
/// <list type="bullet">
/// <item>8-byte entries <c>CTL/ADR TNO INDEX FORM SCMS MIN SEC FRAME</c>, MSF binary (frame &lt; 75, second &lt; 60).</item>
/// <item>Optional catalog (ADR 2, a pair of entries, 13 ASCII digits) and ISRC entries (ADR 3,
/// a pair per track with its number, 12 letters or digits) before the positions they belong to.</item>
/// <item>Positions (ADR 1): the lead-in first (TNO 0, index 0, data form 01h, or 41h when the host
/// writes CD-TEXT in the lead-in's R-W sub-channel: see <see cref="CdTextLeadIn"/>); tracks 1, 2, ... up
/// to 99 in order, each with an optional index 0 then index 1 and further indexes counting up;
/// track 1's index 0 at 00:00:00 and its index 1 at least 2 seconds later; every track at least
/// 4 seconds; the lead-out (TNO AAh, index 1, data form 01h) last; times increasing.</item>
/// <item>CD-DA only: CTL without the data bit, data form 00h (2352 bytes from the host) in the
/// tracks, SCMS 00h or 80h. Data tracks and drive-generated pre-gaps (form 01h in a track) are
/// not simulated.</item>
/// <item>The lead-out must start within the disc's capacity.</item>
/// </list>
/// Any violation is 5/26/00 INVALID FIELD IN PARAMETER LIST.
/// </summary>
internal sealed class CueSheetPlan
{
    /// <summary>Data form 01h: CD-DA the drive generates (lead-in, lead-out).</summary>
    private const int CueFormLeadIn = 0x01;

    private CueSheetPlan(long firstLba, long leadOutLba, IReadOnlyList<CueTrack> tracks, bool cdTextInLeadIn)
    {
        CdTextInLeadIn = cdTextInLeadIn;
        FirstLba = firstLba;
        LeadOutLba = leadOutLba;
        Tracks = tracks;
    }

    /// <summary>Where the host's first WRITE must start (track 1's first position).</summary>
    public long FirstLba { get; }

    public long LeadOutLba { get; }

    public IReadOnlyList<CueTrack> Tracks { get; }

    /// <summary>The lead-in entry said data form 41h: the host writes CD-TEXT in the lead-in before the pre-gap.</summary>
    public bool CdTextInLeadIn { get; }

    public static (CueSheetPlan? Plan, SenseCode? Error) Parse(ReadOnlySpan<byte> list, long capacityBlocks)
    {
        var positions = new List<(int Track, int Index, int Form, int Control, long Lba)>();
        for (int offset = 0; offset < list.Length; offset += 8)
        {
            var e = list.Slice(offset, 8);
            int adr = e[0] & 0x0F;
            bool valid = adr switch
            {
                1 => e[4] is 0x00 or 0x80 && e[6] < 60 && e[7] < CdAddress.FramesPerSecond,
                2 => e[1..].ToArray().All(b => char.IsAsciiDigit((char)b)) || (e[1..7].ToArray().All(b => char.IsAsciiDigit((char)b)) && e[7] == 0),
                3 => e[1] is >= 1 and <= 99 && e[2..].ToArray().All(b => char.IsAsciiLetterOrDigit((char)b)),
                _ => false,
            };
            if (!valid)
            {
                return Invalid();
            }

            if (adr == 1)
            {
                positions.Add((e[1], e[2], e[3], e[0] >> 4, CdAddress.FromMsf(e[5], e[6], e[7])));
            }
        }

        return Plan(positions, capacityBlocks);
    }

    private static (CueSheetPlan?, SenseCode?) Plan(List<(int Track, int Index, int Form, int Control, long Lba)> positions, long capacityBlocks)
    {
        if (positions.Count < 3 || positions[0] is not { Track: 0, Index: 0, Form: CueFormLeadIn or CdTextLeadIn.CueDataForm } || positions[^1] is not { Track: 0xAA, Index: 1, Form: CueFormLeadIn })
        {
            return Invalid();
        }

        var starts = new List<(int Number, long Lba, int Control)>();
        int track = 0;
        int index = -1;
        long previous = long.MinValue;
        long firstLba = 0;
        foreach (var p in positions.Skip(1).SkipLast(1))
        {
            bool nextTrack = p.Track == track + 1 && p.Index is 0 or 1;
            bool nextIndex = p.Track == track && p.Index == index + 1;
            if ((!nextTrack && !nextIndex) || p.Track > 99 || p.Form != 0x00 || (p.Control & 0x04) != 0 || p.Lba <= previous)
            {
                return Invalid();
            }

            // Track 1's index 0 is the 2-second pre-gap at 00:00:00; its index 1 at 00:02:00 or later.
            if (nextTrack && track == 0)
            {
                firstLba = p.Lba;
            }

            if (p.Track == 1 && (p.Index == 0 ? p.Lba != -CdAddress.PregapBlocks : p.Index == 1 && p.Lba < 0))
            {
                return Invalid();
            }

            track = p.Track;
            index = p.Index;
            previous = p.Lba;
            if (p.Index == 1)
            {
                starts.Add((p.Track, p.Lba, p.Control));
            }
        }

        long leadOut = positions[^1].Lba;
        if (starts.Count != track || leadOut <= previous || leadOut > capacityBlocks)
        {
            return Invalid();
        }

        var tracks = new List<CueTrack>(starts.Count);
        for (int i = 0; i < starts.Count; i++)
        {
            long end = i + 1 < starts.Count ? starts[i + 1].Lba : leadOut;
            if (end - starts[i].Lba < CdAddress.MinimumTrackBlocks)
            {
                return Invalid();
            }

            tracks.Add(new CueTrack(starts[i].Number, starts[i].Lba, end, starts[i].Control));
        }

        return (new CueSheetPlan(firstLba, leadOut, tracks, positions[0].Form == CdTextLeadIn.CueDataForm), null);
    }

    private static (CueSheetPlan?, SenseCode?) Invalid() => (null, SenseCode.InvalidFieldInParameterList);
}
