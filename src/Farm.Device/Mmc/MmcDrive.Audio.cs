using Farm.Device.Transports;

namespace Farm.Device.Mmc;

/// <summary>CD-DA: SEND CUE SHEET, 2352-byte WRITEs, READ TOC/PMA/ATIP and READ CD.</summary>
public sealed partial class MmcDrive
{
    /// <summary>Allocation for a TOC of 99 tracks and the lead-out, or a full TOC of one session.</summary>
    private const ushort TocAllocation = 4 + (8 * 100) + (11 * 103);

    /// <summary>Bytes of a lead-in block with CD-TEXT: the R-W sub-channel of one frame.</summary>
    private const int LeadInBlockBytes = 96;

    /// <summary>SEND CUE SHEET with <paramref name="cueSheet"/> (Audio.CueSheet builds one from a disc's layout).</summary>
    public Task SendCueSheetAsync(byte[] cueSheet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cueSheet);
        return SendParameterListAsync(_ => MmcCommands.SendCueSheet(cueSheet.Length), cueSheet, _options.CommandTimeout, cancellationToken);
    }

    /// <summary>Writes whole 2352-byte CD-DA blocks at <paramref name="lba"/> (negative in the first pre-gap).</summary>
    public Task WriteAudioAsync(int lba, ReadOnlyMemory<byte> blocks, CancellationToken cancellationToken) =>
        WriteBlocksAsync(lba, blocks, MmcCommands.CdDaBlockBytes, streamingWrite12: false, cancellationToken);

    /// <summary>
    /// Writes lead-in blocks of a session-at-once CD with CD-TEXT (cue sheet lead-in form 41h):
    /// 96 bytes of R-W sub-channel a block (<c>Audio.CdTextLeadIn</c>), at negative LBAs up to -151.
    /// </summary>
    public Task WriteLeadInAsync(int lba, ReadOnlyMemory<byte> blocks, CancellationToken cancellationToken) =>
        WriteBlocksAsync(lba, blocks, LeadInBlockBytes, streamingWrite12: false, cancellationToken);

    /// <summary>READ TOC format 5: the CD-TEXT packs of the lead-in, 18 bytes each, back to back.</summary>
    public async Task<byte[]> ReadCdTextAsync(CancellationToken cancellationToken)
    {
        // The largest answer the 16-bit data length allows, in whole packs: 4 + 18 x 3640 bytes.
        const ushort allocation = 4 + (18 * 3640);
        var cdb = MmcCommands.ReadTocPmaAtip(TocFormat.CdText, msf: false, trackOrSession: 0, allocation);
        return Parse<byte[]>(cdb, await ReadDataAsync(cdb, allocation, cancellationToken).ConfigureAwait(false), TocData.TryParseCdText);
    }

    /// <summary>READ TOC format 0 with LBAs: the tracks, then the lead-out.</summary>
    public async Task<IReadOnlyList<TocTrack>> ReadTocAsync(CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.ReadTocPmaAtip(TocFormat.Toc, msf: false, trackOrSession: 1, TocAllocation);
        return Parse<IReadOnlyList<TocTrack>>(cdb, await ReadDataAsync(cdb, TocAllocation, cancellationToken).ConfigureAwait(false), TocData.TryParseToc);
    }

    /// <summary>READ TOC format 1: the last complete session and its first track.</summary>
    public async Task<(int FirstSession, int LastSession, int FirstTrackInLastSession, long StartLba)> ReadSessionInfoAsync(CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.ReadTocPmaAtip(TocFormat.SessionInfo, msf: false, trackOrSession: 0, 12);
        return Parse<(int, int, int, long)>(cdb, await ReadDataAsync(cdb, 12, cancellationToken).ConfigureAwait(false), TocData.TryParseSessionInfo);
    }

    /// <summary>READ TOC format 2 from session 1: the raw lead-in entries.</summary>
    public async Task<IReadOnlyList<FullTocEntry>> ReadFullTocAsync(CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.ReadTocPmaAtip(TocFormat.FullToc, msf: true, trackOrSession: 1, TocAllocation);
        return Parse<IReadOnlyList<FullTocEntry>>(cdb, await ReadDataAsync(cdb, TocAllocation, cancellationToken).ConfigureAwait(false), TocData.TryParseFullToc);
    }

    /// <summary>READ CD of whole CD-DA blocks at <paramref name="lba"/> into <paramref name="destination"/>.</summary>
    public async Task ReadCdAudioAsync(int lba, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.Length == 0 || destination.Length % MmcCommands.CdDaBlockBytes != 0)
        {
            throw new ArgumentException($"READ CD returns whole {MmcCommands.CdDaBlockBytes}-byte CD-DA blocks, not {destination.Length} bytes", nameof(destination));
        }

        var cdb = MmcCommands.ReadCdAudio(lba, destination.Length / MmcCommands.CdDaBlockBytes);
        var result = await ExecuteAsync(cdb, DataDirection.FromDevice, destination, _options.DataTimeout, cancellationToken).ConfigureAwait(false);
        CheckFilled(cdb, result, destination.Length);
    }
}
