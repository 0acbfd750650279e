using Farm.Device.Errors;
using Farm.Device.Writing;
using Farm.Device.Mmc;
using Farm.Messages;

namespace Farm.Device.Mastering;

/// <summary>
/// IMultisessionSequential: a folder added to an appendable disc as a new session. Planning reads
/// the disc (READ DISC / TRACK INFORMATION: the next writable address, the start of the previous
/// session), then the previous session's ISO 9660 / Joliet tree from its volume descriptors, and
/// masters the new session for the next writable address with the old tree imported
/// (<see cref="IsoImagePlan.CreateSession(string, IsoMasteringOptions, PreviousSession?, long)"/>).
/// Writing checks first that the disc is still the one planned for (same next writable address,
/// same previous session, same descriptor bytes): another disc gets IMAPI_E_WRONGDISC and is not
/// touched. The session is closed; the disc stays appendable unless the writer's
/// <see cref="DataWriterOptions.ForceMediaToBeClosed"/> is set.
/// </summary>
public static class SessionAppender
{
    /// <summary>Plans the session; a disc that cannot take one (closed, overwritable, unreadable last session) is an error saying why.</summary>
    public static async Task<AppendPlan> PlanAsync(DataWriter writer, string folder, IsoMasteringOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        var disc = await ReadDiscAsync(writer, cancellationToken).ConfigureAwait(false);
        var image = IsoImagePlan.CreateSession(
            folder, options with { CapacityBlocks = disc.Media.FreeSectorsOnMedia }, disc.Previous, disc.SessionStart);
        return new AppendPlan(image, disc.Previous, disc.Identity);
    }

    /// <summary>
    /// Writes the planned session at its start, after checking the disc is the planned one
    /// (IMAPI_E_WRONGDISC otherwise), then verifies it as the writer's options say (the session's
    /// blocks read back and hashed).
    /// </summary>
    public static async Task<BurnResult> BurnAsync(DataWriter writer, AppendPlan plan, IProgress<WriteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(plan);
        var now = await ReadDiscAsync(writer, cancellationToken).ConfigureAwait(false);
        if (now.Identity != plan.Disc)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.V1WrongDisc, Disposition.NeedsOperator,
                $"{writer.Recorder.Name}: the disc in the drive is not the one the session was planned for (planned: {plan.Disc}; now: {now.Identity}); load that disc, or plan the session again for this one"));
        }

        await using var source = plan.Image.OpenSectorSource();
        var written = await writer.WriteAsync(source, plan.Image.Blocks, progress, cancellationToken).ConfigureAwait(false);
        if (written.StartLba != plan.Image.SessionStart)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.RecorderInvalidResponseFromDevice, Disposition.FailDisc,
                $"{writer.Recorder.Name}: the session was written at LBA {written.StartLba}, not at {plan.Image.SessionStart} where it was mastered for; its addresses are wrong, discard the disc"));
        }

        VerifyResult? verified = writer.Options.Verify == VerifyMode.None
            ? null
            : await Verifier.ReadBackAsync(writer.Recorder, written.StartLba, written.Blocks, written.ImageSha256, cancellationToken).ConfigureAwait(false);
        return new BurnResult(written, verified);
    }

    /// <summary>The disc's next writable address and, when it has one, its last closed session's tree.</summary>
    private static async Task<DiscState> ReadDiscAsync(DataWriter writer, CancellationToken cancellationToken)
    {
        var media = await writer.ReadMediaAsync(cancellationToken).ConfigureAwait(false);
        var name = writer.Recorder.Name;
        if ((media.CurrentMediaStatus & (DataMediaState.OverwriteOnly | DataMediaState.Finalized | DataMediaState.UnsupportedMedia)) != 0
            || media.NextWritableAddress is not { } next)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.NeedsOperator,
                $"{name}: a session can only be appended to a CD-R/RW, DVD±R or BD-R left open (appendable); this {media.Profile} disc is {media.CurrentMediaStatus}"));
        }

        if ((media.CurrentMediaStatus & DataMediaState.NonEmptySession) != 0)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.FailDisc,
                $"{name}: the disc's open session already holds data from an interrupted write; no session can be added after it"));
        }

        PreviousSession? previous = null;
        if (media.StartAddressOfPreviousSession is { } start)
        {
            var drive = writer.Recorder;
            previous = await PreviousSession.ReadAsync(
                (lba, destination, ct) => drive.ReadAsync(checked((int)lba), destination, ct), start, cancellationToken).ConfigureAwait(false);
        }

        return new DiscState(media, next, previous, new DiscIdentity(media.Profile, next, media.Sessions, previous?.StartLba, previous?.DescriptorSha256));
    }

    private sealed record DiscState(DataMediaInfo Media, long SessionStart, PreviousSession? Previous, DiscIdentity Identity);
}

/// <summary>What a planned session expects of the disc: same profile, next writable address, sessions and previous session's descriptor.</summary>
public sealed record DiscIdentity(Profile Profile, long NextWritableAddress, int Sessions, long? PreviousSessionStart, string? PreviousDescriptorSha256)
{
    public override string ToString() => PreviousSessionStart is { } start
        ? $"{Profile}, {Sessions} sessions, last from LBA {start} (descriptor {PreviousDescriptorSha256![..12]}), next writable {NextWritableAddress}"
        : $"{Profile}, blank, next writable {NextWritableAddress}";
}

/// <summary>A session planned for one disc: the image (mastered for the disc's next writable address), the tree it imports, and the disc it was planned for.</summary>
public sealed record AppendPlan(IsoImagePlan Image, PreviousSession? Previous, DiscIdentity Disc);
