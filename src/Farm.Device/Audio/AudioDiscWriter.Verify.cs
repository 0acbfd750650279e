using Farm.Device.Mmc;

namespace Farm.Device.Audio;

public sealed partial class AudioDiscWriter
{
    /// <summary>
    /// READ TOC: as many audio tracks as staged, each at least as long as staged; then every
    /// track's blocks read with READ CD from its TOC start and compared with the staged ones.
    /// Track-at-once starts are wherever the drive put them; disc-at-once must match the layout.
    /// With CD-TEXT, READ TOC format 5 must then give every pack written, and no other.
    /// </summary>
    private async Task<AudioVerifyResult> VerifyAsync(AudioDiscLayout layout, byte[] cdText, CancellationToken cancellationToken)
    {
        var toc = await drive.ReadTocAsync(cancellationToken).ConfigureAwait(false);
        var tracks = toc.Where(t => t.Number != 0xAA).ToList();
        if (tracks.Count != layout.Tracks.Count || tracks.Any(t => !t.IsAudio))
        {
            return new AudioVerifyResult(false, 0, $"the TOC lists {tracks.Count} tracks ({tracks.Count(t => t.IsAudio)} audio), {layout.Tracks.Count} audio tracks were written");
        }

        var expected = new byte[BlocksPerWrite * CdAddress.BlockBytes];
        var actual = new byte[expected.Length];
        for (int i = 0; i < tracks.Count; i++)
        {
            var placement = layout.Tracks[i];
            long end = toc[i + 1].StartLba;
            if (_options.Mode == AudioWriteMode.DiscAtOnce && tracks[i].StartLba != placement.StartLba)
            {
                return new AudioVerifyResult(false, i, $"track {placement.Number} starts at LBA {tracks[i].StartLba} in the TOC, not {placement.StartLba}");
            }

            if (end - tracks[i].StartLba < placement.Blocks)
            {
                return new AudioVerifyResult(false, i, $"track {placement.Number} is {end - tracks[i].StartLba} blocks in the TOC, {placement.Blocks} were written");
            }

            for (long done = 0; done < placement.Blocks; done += BlocksPerWrite)
            {
                int count = (int)Math.Min(BlocksPerWrite, placement.Blocks - done);
                int bytes = count * CdAddress.BlockBytes;
                layout.ReadBlocks(placement.StartLba + done, expected.AsSpan(0, bytes));
                await drive.ReadCdAudioAsync(checked((int)(tracks[i].StartLba + done)), actual.AsMemory(0, bytes), cancellationToken).ConfigureAwait(false);
                if (!expected.AsSpan(0, bytes).SequenceEqual(actual.AsSpan(0, bytes)))
                {
                    return new AudioVerifyResult(false, i, $"track {placement.Number} differs from what was staged in blocks {done}-{done + count - 1}");
                }
            }
        }

        return cdText.Length == 0 ? new AudioVerifyResult(true, tracks.Count, null) : await VerifyCdTextAsync(cdText, tracks.Count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The packs READ TOC format 5 returns against those written. A drive may start its answer
    /// anywhere in the lead-in's cycle, so they are compared as a set: the same number, each
    /// written pack present byte for byte.
    /// </summary>
    private async Task<AudioVerifyResult> VerifyCdTextAsync(byte[] written, int tracksCompared, CancellationToken cancellationToken)
    {
        var read = await drive.ReadCdTextAsync(cancellationToken).ConfigureAwait(false);
        const int size = CdTextPacks.PackBytes;
        if (read.Length != written.Length)
        {
            return new AudioVerifyResult(false, tracksCompared, $"the CD-TEXT read back (READ TOC format 5) has {read.Length / size} packs, {written.Length / size} were written to the lead-in");
        }

        var found = Enumerable.Range(0, read.Length / size).Select(i => Convert.ToHexString(read, i * size, size)).ToHashSet(StringComparer.Ordinal);
        for (int offset = 0; offset < written.Length; offset += size)
        {
            if (!found.Contains(Convert.ToHexString(written, offset, size)))
            {
                var pack = written.AsSpan(offset, size);
                return new AudioVerifyResult(false, tracksCompared,
                    $"CD-TEXT pack {pack[CdTextPacks.PackLayout.Sequence]} (type {pack[CdTextPacks.PackLayout.Type]:X2}h, track {pack[CdTextPacks.PackLayout.Track]}) was not read back (READ TOC format 5) as written");
            }
        }

        return new AudioVerifyResult(true, tracksCompared, null);
    }
}
