using System.Buffers.Binary;
using Farm.Device.Audio;

namespace Farm.Device.Simulation;

/// <summary>
/// READ TOC/PMA/ATIP answers built from a disc's complete sessions (MMC-5 READ TOC/PMA/ATIP,
/// response formats 0000b, 0001b, 0010b, 0101b); layouts as <see cref="Mmc.TocData"/> parses them. Q
/// CONTROL is 0 for a CD-DA track and 4 for a data track recorded uninterrupted; ADR 1.
/// </summary>
internal static class TocResponses
{
    private const int AdrControlAudio = 0x10;
    private const int AdrControlData = 0x14;

    /// <summary>The tracks of the complete sessions, and the lead-out of the last one; null when none is complete.</summary>
    public static (IReadOnlyList<SimulatedTrack> Tracks, long LeadOut)? Closed(SimulatedDisc disc)
    {
        var complete = disc.Sessions.Where(s => s.Status == Mmc.SessionState.Complete).Select(s => s.Number).ToHashSet();
        var tracks = disc.Tracks.Where(t => complete.Contains(t.Session) && t.Status == TrackStatus.Complete && t.RecordedBlocks > 0).ToList();
        return tracks.Count == 0 ? null : (tracks, tracks[^1].NextWritableAddress);
    }

    /// <summary>Format 0 from track <paramref name="startTrack"/> on (0 counts as 1); null when that track does not exist.</summary>
    public static byte[]? Toc(SimulatedDisc disc, IReadOnlyList<SimulatedTrack> tracks, long leadOut, int startTrack, bool msf)
    {
        var from = tracks.Where(t => t.Number >= startTrack).ToList();
        if (from.Count == 0 && startTrack != 0xAA)
        {
            return null;
        }

        var data = new byte[4 + (8 * (from.Count + 1))];
        data[2] = (byte)tracks[0].Number;
        data[3] = (byte)tracks[^1].Number;
        int offset = 4;
        foreach (var track in from)
        {
            Descriptor(data.AsSpan(offset), Control(disc, track), track.Number, track.StartAddress, msf);
            offset += 8;
        }

        Descriptor(data.AsSpan(offset), Control(disc, tracks[^1]), 0xAA, leadOut, msf);
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(data.Length - 2));
        return data;
    }

    /// <summary>Format 1: sessions 1 to the last complete one, and the first track of that session.</summary>
    public static byte[] SessionInfo(SimulatedDisc disc, IReadOnlyList<SimulatedTrack> tracks, bool msf)
    {
        int lastSession = tracks[^1].Session;
        var first = tracks.First(t => t.Session == lastSession);
        var data = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(data, 10);
        data[2] = 1;
        data[3] = (byte)lastSession;
        Descriptor(data.AsSpan(4), Control(disc, first), first.Number, first.StartAddress, msf);
        return data;
    }

    /// <summary>Format 2 from session <paramref name="startSession"/> on: per session A0h, A1h, A2h, then its tracks; MSF always.</summary>
    public static byte[]? FullToc(SimulatedDisc disc, IReadOnlyList<SimulatedTrack> tracks, int startSession)
    {
        var entries = new List<byte[]>();
        foreach (var session in tracks.GroupBy(t => t.Session).Where(g => g.Key >= startSession))
        {
            var inSession = session.ToList();
            int control = Control(disc, inSession[0]);
            long end = inSession[^1].NextWritableAddress;
            entries.Add(Entry(session.Key, control, 0xA0, (byte)inSession[0].Number, 0x00, 0));
            entries.Add(Entry(session.Key, Control(disc, inSession[^1]), 0xA1, (byte)inSession[^1].Number, 0, 0));
            var (m, s, f) = CdAddress.ToMsf(end);
            entries.Add(Entry(session.Key, Control(disc, inSession[^1]), 0xA2, m, s, f));
            foreach (var track in inSession)
            {
                (m, s, f) = CdAddress.ToMsf(track.StartAddress);
                entries.Add(Entry(session.Key, Control(disc, track), (byte)track.Number, m, s, f));
            }
        }

        if (entries.Count == 0)
        {
            return null;
        }

        var data = new byte[4 + (11 * entries.Count)];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(data.Length - 2));
        data[2] = (byte)startSession;
        data[3] = (byte)tracks[^1].Session;
        for (int i = 0; i < entries.Count; i++)
        {
            entries[i].CopyTo(data, 4 + (11 * i));
        }

        return data;
    }

    /// <summary>
    /// Format 5 (CD-TEXT): bytes 0-1 data length (bytes after the field), 2-3 reserved, then the
    /// lead-in's 18-byte packs; null when the disc has none.
    /// </summary>
    public static byte[]? CdText(SimulatedDisc disc)
    {
        var packs = disc.CdText.Span;
        if (packs.IsEmpty)
        {
            return null;
        }

        var data = new byte[4 + packs.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(data.Length - 2));
        packs.CopyTo(data.AsSpan(4));
        return data;
    }

    private static int Control(SimulatedDisc disc, SimulatedTrack track) => disc.IsAudio(track) ? AdrControlAudio : AdrControlData;

    private static void Descriptor(Span<byte> d, int adrControl, int number, long lba, bool msf)
    {
        d[1] = (byte)adrControl;
        d[2] = (byte)number;
        if (msf)
        {
            var (m, s, f) = CdAddress.ToMsf(lba);
            d[5] = m;
            d[6] = s;
            d[7] = f;
        }
        else
        {
            BinaryPrimitives.WriteInt32BigEndian(d[4..], (int)lba);
        }
    }

    /// <summary>One raw TOC entry: session, ADR/CONTROL, TNO 0, POINT, MIN/SEC/FRAME 0 (lead-in time, not kept), ZERO, PMIN, PSEC, PFRAME.</summary>
    private static byte[] Entry(int session, int adrControl, byte point, byte pmin, byte psec, byte pframe) =>
        [(byte)session, (byte)adrControl, 0, point, 0, 0, 0, 0, pmin, psec, pframe];
}
