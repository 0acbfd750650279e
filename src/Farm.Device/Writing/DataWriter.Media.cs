using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;

namespace Farm.Device.Writing;

public sealed partial class DataWriter
{
    private static readonly Profile[] ReadOnlyProfiles = [Profile.CdRom, Profile.DvdRom, Profile.BdRom];

    /// <summary>
    /// The IDiscFormat2Data media properties: CurrentMediaStatus, WriteProtectStatus,
    /// TotalSectorsOnMedia, FreeSectorsOnMedia, NextWritableAddress, StartAddressOfPreviousSession,
    /// LastWrittenAddressOfPreviousSession and SupportedWriteSpeeds, from READ DISC / TRACK
    /// INFORMATION, READ CAPACITY and GET PERFORMANCE. No medium: E_IMAPI_RECORDER_MEDIA_NO_MEDIA.
    /// </summary>
    public async Task<DataMediaInfo> ReadMediaAsync(CancellationToken cancellationToken)
    {
        await _drive.WaitUntilReadyAsync(afterMediumChange: true, cancellationToken).ConfigureAwait(false);
        var profile = await _drive.GetCurrentProfileAsync(cancellationToken).ConfigureAwait(false);
        if (profile == Profile.None)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.RecorderMediaNoMedia, Disposition.NeedsOperator, $"{_drive.Name}: there is no disc in the drive"));
        }

        var speeds = await SpeedSelection.OfferedAsync(_drive, cancellationToken).ConfigureAwait(false);
        var info = Profiles.All.FirstOrDefault(p => p.Profile == profile);
        if (info is null)
        {
            var readOnly = ReadOnlyProfiles.Contains(profile);
            return new DataMediaInfo(
                profile,
                DataMediaState.UnsupportedMedia | (readOnly ? DataMediaState.WriteProtected : 0),
                readOnly ? WriteProtectState.ReadOnlyMedia : WriteProtectState.None,
                0, 0, null, null, null, 0, speeds);
        }

        var disc = await _drive.ReadDiscInformationAsync(cancellationToken).ConfigureAwait(false);
        if (!info.SequentialOnly)
        {
            var capacity = (long)(await _drive.ReadCapacityAsync(cancellationToken).ConfigureAwait(false)).LastLogicalBlockAddress + 1;
            return new DataMediaInfo(profile, DataMediaState.OverwriteOnly, WriteProtectState.None, capacity, capacity, 0, null, null, disc.NumberOfSessions, speeds);
        }

        var state = disc.Status switch
        {
            DiscStatus.Empty => DataMediaState.Blank,
            DiscStatus.Incomplete => DataMediaState.Appendable,
            DiscStatus.Complete => DataMediaState.Finalized,
            _ => DataMediaState.Damaged,
        };
        if (disc.Status == DiscStatus.Complete && info.Rewritable)
        {
            state |= DataMediaState.EraseRequired;
        }

        long total;
        long free = 0;
        long? nextWritable = null;
        if (disc.Status == DiscStatus.Complete)
        {
            total = (long)(await _drive.ReadCapacityAsync(cancellationToken).ConfigureAwait(false)).LastLogicalBlockAddress + 1;
        }
        else
        {
            var open = await _drive.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 0xFF, cancellationToken).ConfigureAwait(false);
            free = open.FreeBlocks;
            nextWritable = open.NextWritableAddressValid ? open.NextWritableAddress : null;
            total = open.NextWritableAddress + (long)open.FreeBlocks;
            if (open.Damaged)
            {
                state |= DataMediaState.Damaged;
            }

            if (disc.LastSessionState == SessionState.Incomplete || !open.Blank)
            {
                state |= DataMediaState.NonEmptySession;
            }
        }

        var (previousStart, previousLast) = await PreviousSessionAsync(disc, cancellationToken).ConfigureAwait(false);
        return new DataMediaInfo(profile, state, WriteProtectState.None, total, free, nextWritable, previousStart, previousLast, disc.NumberOfSessions, speeds);
    }

    /// <summary>
    /// The last closed session's first LBA and last recorded LBA: on an appendable disc the
    /// session before the open (empty) one, on a finalised disc the last one; nulls on a blank disc.
    /// </summary>
    private async Task<(long? Start, long? LastWritten)> PreviousSessionAsync(DiscInformation disc, CancellationToken cancellationToken)
    {
        var closedSessions = disc.Status == DiscStatus.Complete ? disc.NumberOfSessions : disc.NumberOfSessions - 1;
        if (disc.Status == DiscStatus.Empty || closedSessions < 1)
        {
            return (null, null);
        }

        var first = await _drive.ReadTrackInformationAsync(TrackAddressType.SessionNumber, (uint)closedSessions, cancellationToken).ConfigureAwait(false);
        var lastTrackNumber = disc.Status == DiscStatus.Complete ? disc.LastTrackInLastSession : disc.FirstTrackInLastSession - 1;
        var last = await _drive.ReadTrackInformationAsync(TrackAddressType.TrackNumber, (uint)lastTrackNumber, cancellationToken).ConfigureAwait(false);
        var lastWritten = last.LastRecordedAddressValid ? last.LastRecordedAddress : last.TrackStartAddress + last.TrackSize - 1;
        return (first.TrackStartAddress, lastWritten);
    }
}
