using System.Security.Cryptography;

namespace Farm.Device.Audio;

/// <summary>Where one staged track lies on the disc.</summary>
/// <param name="Track">The staged track.</param>
/// <param name="StartLba">LBA of its index 1.</param>
/// <param name="Blocks">Blocks it occupies (its audio, then silence up to 4 seconds).</param>
public sealed record AudioTrackPlacement(StagedAudioTrack Track, long StartLba, long Blocks)
{
    public int Number => Track.Number;

    public long EndLba => StartLba + Blocks;
}

/// <summary>
/// The disc a staged audio session becomes, as a disc-at-once writer lays it out (libburn's
/// burn_create_toc_entries, cdrdao's default): track 1's 2-second pre-gap from LBA -150, its index 1
/// at LBA 0, every later track gapless after the previous one, the lead-out right after the last.
/// A track shorter than Red Book's 4 seconds is padded with silence to 300 blocks.
/// </summary>
public sealed class AudioDiscLayout
{
    private readonly RedbookStager _stager;

    internal AudioDiscLayout(RedbookStager stager, IReadOnlyList<StagedAudioTrack> tracks, AudioDiscInfo disc)
    {
        _stager = stager;
        Disc = disc;
        var placed = new List<AudioTrackPlacement>(tracks.Count);
        long lba = 0;
        foreach (var track in tracks)
        {
            placed.Add(new AudioTrackPlacement(track, lba, track.DiscBlocks));
            lba += track.DiscBlocks;
        }

        Tracks = placed;
        LeadOutLba = lba;
    }

    public IReadOnlyList<AudioTrackPlacement> Tracks { get; }

    public AudioDiscInfo Disc { get; }

    /// <summary>Where the lead-out starts: the blocks of audio after LBA 0.</summary>
    public long LeadOutLba { get; }

    /// <summary>Every block a disc-at-once writer sends: the pre-gap and the tracks.</summary>
    public long TotalBlocks => CdAddress.PregapBlocks + LeadOutLba;

    /// <summary>
    /// Fills <paramref name="destination"/> (whole blocks) with the disc's content from
    /// <paramref name="lba"/> on: silence in the pre-gap (negative LBAs) and after a track's audio,
    /// the staged audio otherwise.
    /// </summary>
    public void ReadBlocks(long lba, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lba, -CdAddress.PregapBlocks);
        int size = CdAddress.BlockBytes;
        if (destination.Length % size != 0 || lba + (destination.Length / size) > LeadOutLba)
        {
            throw new ArgumentOutOfRangeException(nameof(destination), $"{destination.Length} bytes at LBA {lba} are not whole blocks before the lead-out at {LeadOutLba}");
        }

        while (!destination.IsEmpty)
        {
            long blocks = destination.Length / size;
            if (lba < 0)
            {
                long silent = Math.Min(blocks, -lba);
                destination[..(int)(silent * size)].Clear();
                destination = destination[(int)(silent * size)..];
                lba += silent;
                continue;
            }

            var placement = Tracks.Last(t => t.StartLba <= lba);
            long offset = lba - placement.StartLba;
            long take = Math.Min(blocks, placement.EndLba - lba);
            long audio = Math.Clamp(placement.Track.Blocks - offset, 0, take);
            if (audio > 0)
            {
                _stager.ReadStash(placement.Track.StashBlock + offset, destination[..(int)(audio * size)]);
            }

            destination[(int)(audio * size)..(int)(take * size)].Clear();
            destination = destination[(int)(take * size)..];
            lba += take;
        }
    }

    /// <summary>SHA-256 of a track's blocks on the disc (audio and padding), for reports and verify.</summary>
    public string TrackSha256(AudioTrackPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CdAddress.BlockBytes * 64];
        for (long lba = placement.StartLba; lba < placement.EndLba; lba += 64)
        {
            int blocks = (int)Math.Min(64, placement.EndLba - lba);
            var chunk = buffer.AsSpan(0, blocks * CdAddress.BlockBytes);
            ReadBlocks(lba, chunk);
            hash.AppendData(chunk);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
