using System.Globalization;
using Farm.Device.Mastering;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Messages;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm burn FOLDER --append --drive ID [--close]</c>: the folder as a new session on an
/// appendable disc (IMultisessionSequential). The previous session's ISO 9660 / Joliet tree is read
/// from the disc, the folder's files are added to it (or replace files of the same path), and
/// the session is written at the disc's next writable address; old files keep their extents.
/// With <c>--simulate PROFILE --existing-session IMAGE</c> the simulated blank disc first gets
/// IMAGE as a closed session (disc left open); <c>--save-disc FILE</c> then writes the disc's
/// blocks to a file, and says where its last session starts, for xorriso and isoinfo.
/// </summary>
internal static class AppendCommand
{
    public static async Task<int> RunAsync(BurnCommand.BurnSettings settings, WriteSpeedRequest speed, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(settings.Image))
        {
            return BurnCommand.Usage($"--append adds a folder as a new session, and '{settings.Image}' is not a folder; give the folder to add");
        }

        var options = new DataWriterOptions { Verify = settings.Verify, WriteSpeed = speed, UseStreamingWrite12 = settings.Streaming, ForceMediaToBeClosed = settings.Close };
        if (settings.Simulate is null)
        {
            return await BurnCommand.OnDeviceAsync(settings.Drive!, async (mmc, inquiry) =>
            {
                Console.WriteLine($"appending {Path.GetFullPath(settings.Image)} on {mmc.Name} ({inquiry})");
                return await AppendAsync(new DataWriter(mmc, options), settings, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }

        var profile = BurnCommand.SimulatedProfile(settings.Simulate);
        await using var simulated = new SimulatedDrive(new SimulatedDriveOptions
        {
            Name = $"sim:{settings.Drive ?? "sim1"}",
            TimeScale = settings.TimeScale,
            WriteSpeedX = speed.TimesOneX,
        });
        using var disc = SimulatedDisc.Blank(profile, $"{profile.Name}#1", new MemoryMediaStore());
        simulated.Insert(disc);
        var mmc = new MmcDrive(simulated, TimeProvider.System);
        if (settings.ExistingSession is { } first)
        {
            var image = ImageSource.Open(first);
            var opened = new DataWriter(mmc, options with { ForceMediaToBeClosed = false, Verify = VerifyMode.None });
            var written = await opened.WriteAsync(image, null, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"session 1: {image.Path} ({written.Blocks:N0} blocks) at LBA {written.StartLba}, closed, the {profile.Name} left appendable");
        }
        else
        {
            Console.WriteLine($"the simulated {profile.Name} is blank: the folder becomes its first session (--existing-session IMAGE puts a session there first)");
        }

        var code = await AppendAsync(new DataWriter(mmc, options), settings, cancellationToken).ConfigureAwait(false);
        if (settings.SaveDisc is { } path)
        {
            await SaveDiscAsync(disc, path, cancellationToken).ConfigureAwait(false);
        }

        return code;
    }

    private static async Task<int> AppendAsync(DataWriter writer, BurnCommand.BurnSettings settings, CancellationToken cancellationToken)
    {
        var plan = await SessionAppender.PlanAsync(writer, settings.Image, IsoMasteringOptions.Default, cancellationToken).ConfigureAwait(false);
        var image = plan.Image;
        var import = image.Import!;
        Console.WriteLine(plan.Previous is { } previous
            ? string.Create(CultureInfo.InvariantCulture,
                $"previous session from LBA {previous.StartLba}: {previous.FileCount:N0} files in {previous.DirectoryCount:N0} folders ({(previous.Joliet ? "Joliet" : "ISO 9660")} names)")
            : "no previous session");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"new session at LBA {image.SessionStart}: {image.Blocks:N0} blocks; {import.Added:N0} files added, {import.Replaced:N0} replaced, {import.Kept:N0} kept at their old extents"));
        var burned = await BurnCommand.BurnWithProgressAsync(image.Blocks, progress => SessionAppender.BurnAsync(writer, plan, progress, cancellationToken)).ConfigureAwait(false);
        var code = BurnCommand.Report(burned);
        Console.WriteLine(settings.Close ? "the disc is closed: no session can follow" : "the disc stays appendable (--close closes it)");
        return code;
    }

    /// <summary>The simulated disc's blocks from LBA 0 to the last recorded one (unrecorded gaps as zeros) in <paramref name="path"/>.</summary>
    public static async Task SaveDiscAsync(SimulatedDisc disc, string path, CancellationToken cancellationToken)
    {
        var last = disc.LastRecordedAddress ?? -1;
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[IMediaStore.BlockSize * 512];
            for (long lba = 0; lba <= last; lba += 512)
            {
                var count = (int)Math.Min(512, last + 1 - lba);
                disc.Store.Read(lba, buffer.AsSpan(0, count * IMediaStore.BlockSize));
                await stream.WriteAsync(buffer.AsMemory(0, count * IMediaStore.BlockSize), cancellationToken).ConfigureAwait(false);
            }
        }

        if (disc.Sessions.LastOrDefault(s => s.Status == SessionState.Complete) is not { } lastSession)
        {
            Console.WriteLine($"saved the disc ({last + 1:N0} blocks) to {path}; it has no closed session");
            return;
        }

        var sessionStart = disc.Tracks.Where(t => t.Session == lastSession.Number).Min(t => t.StartAddress);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"saved the disc ({last + 1:N0} blocks, {disc.Sessions.Count(s => s.Status == SessionState.Complete)} sessions) to {path}; its last session starts at LBA {sessionStart}: xorriso -indev {path} -load sbsector {sessionStart} -ls / ; isoinfo -i {path} -T {sessionStart} -J -l"));
    }
}
