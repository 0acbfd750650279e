using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;

namespace Farm.Device.Audio;

/// <summary>
/// Burns a staged audio disc (<see cref="AudioDiscLayout"/>) on a blank CD-R/RW through MMC, the
/// way libburn and cdrdao do:
/// <list type="bullet">
/// <item>Checks: the medium is a CD-R or CD-RW (IMAPI_E_MEDIUM_INVALIDTYPE), blank, and its last
/// possible lead-out (READ DISC INFORMATION, the ATIP's 74 or 80 minutes) holds the layout
/// (IMAPI_E_DISCFULL), all before the first WRITE.</item>
/// <item>Page 05h: write type SAO (disc-at-once) or TAO, data block type 0 (2352-byte raw
/// CD-DA), track mode 0 (audio), multi-session 00b (the disc is finalised), BUFE.</item>
/// <item>Disc-at-once: SEND CUE SHEET (<see cref="CueSheet"/>); with CD-TEXT the lead-in's
/// R-W sub-channel (<see cref="CdTextLeadIn"/>: the packs cyclically, 96 bytes a block, from the
/// lead-in start READ DISC INFORMATION reports up to LBA -151); then WRITE from LBA -150 (the
/// 2-second pre-gap as silence) through the last track without gaps, then SYNCHRONIZE CACHE: the
/// drive writes lead-in and lead-out and the disc is closed.</item>
/// <item>Track-at-once: per track WRITE at the invisible track's NWA, SYNCHRONIZE CACHE, CLOSE
/// TRACK; then CLOSE SESSION finalises the disc. Track-at-once cannot write a lead-in, so a
/// disc with CD-TEXT is refused in that mode (E_INVALIDARG) before any command.</item>
/// <item>Verify: READ TOC (format 0) must list the tracks as audio, each read back with READ CD
/// equal to the staged blocks; with CD-TEXT, READ TOC format 5 must give back the packs written.</item>
/// </list>
/// </summary>
public sealed partial class AudioDiscWriter(MmcDrive drive, AudioWriterOptions? options = null)
{
    private readonly AudioWriterOptions _options = options ?? new AudioWriterOptions();

    /// <summary>CD 1x in kB/s for SET CD SPEED (MMC: 176 kB/s, 75 blocks of 2352 bytes a second).</summary>
    private const double CdOneXKBps = 176.4;

    public async Task<AudioBurnResult> BurnAsync(AudioDiscLayout layout, IProgress<AudioTrackProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var sessionAtOnce = _options.Mode == AudioWriteMode.DiscAtOnce;
        var cdText = CdTextPacks.For(layout);
        if (cdText.Length > 0 && !sessionAtOnce)
        {
            throw Refuse(ImapiErrors.InvalidArgument, Disposition.None,
                $"{drive.Name}: the disc has CD-TEXT (album or track titles or performers), which lives in the lead-in, and track-at-once cannot write a lead-in: burn disc-at-once (--mode dao) or leave out the CD-TEXT");
        }

        await drive.WaitUntilReadyAsync(afterMediumChange: true, cancellationToken).ConfigureAwait(false);
        long leadInStart = await CheckMediumAsync(layout, cdText.Length > 0, cancellationToken).ConfigureAwait(false);
        await drive.ModeSelectWriteParametersAsync(
            new WriteParameters
            {
                WriteType = sessionAtOnce ? WriteType.SessionAtOnce : WriteType.TrackAtOnce,
                TrackMode = TrackMode.Audio,
                DataBlockType = DataBlockType.Raw2352,
                MultiSession = MultiSession.NoNextSession,
                SessionFormat = SessionFormat.CdDaOrCdRom,
                BufferUnderrunFree = true,
            },
            cancellationToken).ConfigureAwait(false);
        ushort speed = _options.WriteSpeedX is { } x ? (ushort)Math.Clamp(Math.Round(x * CdOneXKBps), 1, MmcCommands.MaximumSpeed - 1) : MmcCommands.MaximumSpeed;
        await drive.SetCdSpeedAsync(MmcCommands.MaximumSpeed, speed, RotationControl.ConstantLinearVelocity, cancellationToken).ConfigureAwait(false);

        var started = drive.Time.GetTimestamp();
        long written = sessionAtOnce
            ? await WriteDiscAtOnceAsync(layout, cdText, leadInStart, progress, cancellationToken).ConfigureAwait(false)
            : await WriteTrackAtOnceAsync(layout, progress, cancellationToken).ConfigureAwait(false);
        var duration = drive.Time.GetElapsedTime(started);
        var tracks = layout.Tracks.Select(t => new AudioTrackResult(t.Number, t.StartLba, t.Blocks, layout.TrackSha256(t))).ToList();
        var verify = _options.Verify ? await VerifyAsync(layout, cdText, cancellationToken).ConfigureAwait(false) : null;
        return new AudioBurnResult(_options.Mode, tracks, written, duration, verify, cdText.Length / CdTextPacks.PackBytes);
    }

    /// <summary>Checks the medium (see the class summary); returns the lead-in start LBA READ DISC INFORMATION reports for a blank CD.</summary>
    private async Task<long> CheckMediumAsync(AudioDiscLayout layout, bool cdText, CancellationToken cancellationToken)
    {
        var profile = await drive.GetCurrentProfileAsync(cancellationToken).ConfigureAwait(false);
        if (profile is not (Profile.CdR or Profile.CdRw))
        {
            throw Refuse(ImapiErrors.V1MediumInvalidType, Disposition.NeedsOperator, $"{drive.Name}: an audio CD needs a blank CD-R or CD-RW, the drive holds {profile}");
        }

        var info = await drive.ReadDiscInformationAsync(cancellationToken).ConfigureAwait(false);
        if (info.Status != DiscStatus.Empty)
        {
            throw Refuse(ImapiErrors.V1CannotWriteToMedia, Disposition.NeedsOperator, $"{drive.Name}: the {profile} is not blank ({info.Status}); load a blank disc (or blank the CD-RW)");
        }

        uint msf = info.LastPossibleLeadOutStart;
        long capacity = CdAddress.FromMsf((int)((msf >> 16) & 0xFF), (int)((msf >> 8) & 0xFF), (int)(msf & 0xFF));
        if (layout.LeadOutLba > capacity)
        {
            throw Refuse(ImapiErrors.V1DiscFull, Disposition.NeedsOperator,
                $"{drive.Name}: {layout.Tracks.Count} tracks need {CdAddress.Duration(layout.LeadOutLba)} ({layout.LeadOutLba:N0} blocks) but the disc holds {CdAddress.Duration(capacity)} ({capacity:N0}); use an 80-minute disc or fewer tracks");
        }

        // A blank CD's lead-in starts where the ATIP says (e.g. 97:26:66, LBA -11634); CD-TEXT is written from there.
        long leadInStart = CdAddress.FromLeadInMsf(info.LastSessionLeadInStart);
        if (cdText && leadInStart >= -CdAddress.PregapBlocks)
        {
            throw Refuse(ImapiErrors.V1InitializeWrite, Disposition.NeedsOperator,
                $"{drive.Name}: READ DISC INFORMATION gives no lead-in start before the pre-gap (LBA {leadInStart}), so the CD-TEXT cannot be written to the lead-in; use another drive or leave out the CD-TEXT");
        }

        return leadInStart;
    }

    private static DeviceException Refuse(ImapiError code, Disposition disposition, string message) =>
        new(DeviceErrors.Of(code, disposition, message));

    /// <summary>Blocks per WRITE: what fits in 64 KiB (27 CD-DA blocks) and in the adapter's transfer limit.</summary>
    private int BlocksPerWrite => Math.Max(1, Math.Min(drive.MaxTransferBytes, 64 * 1024) / CdAddress.BlockBytes);

    private async Task<long> WriteDiscAtOnceAsync(AudioDiscLayout layout, byte[] cdText, long leadInStart, IProgress<AudioTrackProgress>? progress, CancellationToken cancellationToken)
    {
        await drive.SendCueSheetAsync(CueSheet.For(layout), cancellationToken).ConfigureAwait(false);
        if (cdText.Length > 0)
        {
            await WriteLeadInAsync(cdText, leadInStart, cancellationToken).ConfigureAwait(false);
        }

        await WriteRangeAsync(layout, -CdAddress.PregapBlocks, -CdAddress.PregapBlocks, CdAddress.PregapBlocks, cancellationToken).ConfigureAwait(false);
        foreach (var track in layout.Tracks)
        {
            await WriteTrackAsync(layout, track, track.StartLba, progress, cancellationToken).ConfigureAwait(false);
        }

        await drive.SynchronizeCacheAsync(cancellationToken).ConfigureAwait(false);
        return layout.TotalBlocks;
    }

    private async Task<long> WriteTrackAtOnceAsync(AudioDiscLayout layout, IProgress<AudioTrackProgress>? progress, CancellationToken cancellationToken)
    {
        long written = 0;
        foreach (var track in layout.Tracks)
        {
            var invisible = await drive.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 0xFF, cancellationToken).ConfigureAwait(false);
            if (!invisible.NextWritableAddressValid)
            {
                throw Refuse(ImapiErrors.V1InitializeWrite, Disposition.FailDisc, $"{drive.Name}: no next writable address for track {track.Number}");
            }

            await WriteTrackAsync(layout, track, invisible.NextWritableAddress, progress, cancellationToken).ConfigureAwait(false);
            await drive.SynchronizeCacheAsync(cancellationToken).ConfigureAwait(false);
            await drive.CloseAsync(CloseFunction.CloseTrack, (ushort)invisible.TrackNumber, cancellationToken).ConfigureAwait(false);
            written += track.Blocks;
        }

        await drive.CloseAsync(CloseFunction.CloseSession, 0, cancellationToken).ConfigureAwait(false);
        return written;
    }

    private async Task WriteTrackAsync(AudioDiscLayout layout, AudioTrackPlacement track, long lba, IProgress<AudioTrackProgress>? progress, CancellationToken cancellationToken)
    {
        int count = layout.Tracks.Count;
        progress?.Report(new AudioTrackProgress(track.Number, count, 0, track.Blocks, Done: false));
        long step = BlocksPerWrite * 256L;
        for (long done = 0; done < track.Blocks; done += step)
        {
            long blocks = Math.Min(step, track.Blocks - done);
            await WriteRangeAsync(layout, track.StartLba + done, lba + done, blocks, cancellationToken).ConfigureAwait(false);
            progress?.Report(new AudioTrackProgress(track.Number, count, done + blocks, track.Blocks, Done: done + blocks == track.Blocks));
        }
    }

    /// <summary>
    /// The lead-in's CD-TEXT: from <paramref name="leadInStart"/> up to LBA -151, every block 4 packs
    /// as six-bit symbols, the packs repeating; at most 32 KiB a WRITE (libburn's size, which
    /// every drive it was tried on takes) and within the adapter's transfer limit.
    /// </summary>
    private async Task WriteLeadInAsync(byte[] cdText, long leadInStart, CancellationToken cancellationToken)
    {
        var symbols = CdTextLeadIn.ToSymbols(cdText);
        long blocks = -CdAddress.PregapBlocks - leadInStart;
        int perWrite = Math.Max(1, Math.Min(drive.MaxTransferBytes, 32 * 1024) / CdTextLeadIn.BlockBytes);
        var buffer = new byte[perWrite * CdTextLeadIn.BlockBytes];
        for (long done = 0; done < blocks; done += perWrite)
        {
            int count = (int)Math.Min(perWrite, blocks - done);
            var chunk = buffer.AsMemory(0, count * CdTextLeadIn.BlockBytes);
            CdTextLeadIn.Fill(symbols, done, chunk.Span);
            await drive.WriteLeadInAsync(checked((int)(leadInStart + done)), chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends <paramref name="blocks"/> blocks of the layout from <paramref name="layoutLba"/> to the drive's <paramref name="driveLba"/>.</summary>
    private async Task WriteRangeAsync(AudioDiscLayout layout, long layoutLba, long driveLba, long blocks, CancellationToken cancellationToken)
    {
        var buffer = new byte[BlocksPerWrite * CdAddress.BlockBytes];
        for (long done = 0; done < blocks; done += BlocksPerWrite)
        {
            int count = (int)Math.Min(BlocksPerWrite, blocks - done);
            var chunk = buffer.AsMemory(0, count * CdAddress.BlockBytes);
            layout.ReadBlocks(layoutLba + done, chunk.Span);
            await drive.WriteAudioAsync(checked((int)(driveLba + done)), chunk, cancellationToken).ConfigureAwait(false);
        }
    }
}
