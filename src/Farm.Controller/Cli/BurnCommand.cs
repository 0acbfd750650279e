using System.CommandLine;
using System.Globalization;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Device.Transports.Opening;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Cli;
using Spectre.Console;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm burn IMAGE --drive ID</c>: one image on one local drive, with a progress bar (percent,
/// MB/s, the drive's buffer, the host FIFO), then the verify result and the image's SHA-256.
/// With <c>--simulate PROFILE</c> the drive is a simulated one holding a blank of that profile,
/// at the medium's real speed unless <c>--time-scale</c> says otherwise. Opening a real device
/// goes through <c>Farm.Device.Transports.ScsiTransports</c> (SG_IO, SPTI, iSCSI). Device errors
/// print their IMAPI2 name and value.
/// Exit codes: 0 burned (and verified), 1 bad usage, 2 device error, 3 verify mismatch.
/// </summary>
public static class BurnCommand
{
    private static readonly string[] ReadOnlyProfiles = ["CD-ROM", "DVD-ROM", "BD-ROM"];

    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "Image file to burn (size a multiple of 2048); with --append, the folder to add as a new session" };
        var drive = new Option<string>("--drive", "--device") { Description = "Drive to burn on: /dev/sr0, /dev/sg1, \\\\.\\CdRom0, iscsi://host:port/iqn.../lun (with --simulate: a name, default sim1)" };
        var verify = new Option<VerifyMode>("--verify") { Description = "none, quick or full", DefaultValueFactory = _ => VerifyMode.Full };
        var speed = new Option<string>("--speed") { Description = "max, or a multiple of the medium's 1x (e.g. 8)", DefaultValueFactory = _ => "max" };
        var streaming = new Option<bool>("--streaming") { Description = "WRITE(12) with the Streaming bit instead of WRITE(10)" };
        var simulate = new Option<string?>("--simulate") { Description = $"Burn on a simulated drive with a blank of this profile ({Profiles.Names})" };
        var timeScale = new Option<double>("--time-scale") { Description = "Simulated seconds per real second (1 = the medium's real speed)", DefaultValueFactory = _ => 1 };
        var append = new Option<bool>("--append") { Description = "Add the folder as a new session on an appendable disc: the previous session's files stay, the folder's are added or replace them" };
        var close = new Option<bool>("--close") { Description = "With --append: close the disc after the session (no session can follow); by default it stays appendable" };
        var existing = new Option<string?>("--existing-session") { Description = "With --simulate and --append: burn this image on the blank disc first, as a closed session with the disc left open" };
        var saveDisc = new Option<string?>("--save-disc") { Description = "With --simulate: write the simulated disc's recorded blocks (LBA 0 on, gaps as zeros) to this file afterwards, for xorriso/isoinfo" };
        var command = new Command("burn", "Burn one image on one local drive, or append a folder as a new session (--append)")
        {
            image, drive, verify, speed, streaming, simulate, timeScale, append, close, existing, saveDisc,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new BurnSettings(
                result.GetValue(image)!,
                result.GetValue(drive),
                result.GetValue(verify),
                result.GetValue(speed)!,
                result.GetValue(streaming),
                result.GetValue(simulate),
                result.GetValue(timeScale))
            {
                Append = result.GetValue(append),
                Close = result.GetValue(close),
                ExistingSession = result.GetValue(existing),
                SaveDisc = result.GetValue(saveDisc),
            },
            cancellationToken));
        return command;
    }

    internal sealed record BurnSettings(string Image, string? Drive, VerifyMode Verify, string Speed, bool Streaming, string? Simulate, double TimeScale)
    {
        public bool Append { get; init; }

        public bool Close { get; init; }

        public string? ExistingSession { get; init; }

        public string? SaveDisc { get; init; }
    }

    private static async Task<int> RunAsync(BurnSettings settings, CancellationToken cancellationToken)
    {
        if (ParseSpeed(settings.Speed) is not { } speed)
        {
            return Usage($"--speed must be 'max' or a positive number (a multiple of 1x), not '{settings.Speed}'");
        }

        if (settings.TimeScale is < 1 or > 1_000_000 || !double.IsFinite(settings.TimeScale))
        {
            return Usage($"--time-scale must be between 1 and 1000000, not {settings.TimeScale.ToString(CultureInfo.InvariantCulture)}");
        }

        if (settings.Drive is null && settings.Simulate is null)
        {
            return Usage("--drive is required for a real drive (/dev/sr0, /dev/sg1, \\\\.\\CdRom0, iscsi://host:port/iqn.../lun); with --simulate PROFILE it may be left out");
        }

        if (SessionUsage(settings) is { } wrong)
        {
            return Usage(wrong);
        }

        try
        {
            if (settings.Append)
            {
                return await AppendCommand.RunAsync(settings, speed, cancellationToken).ConfigureAwait(false);
            }

            var source = ImageSource.Open(settings.Image);
            return settings.Simulate is null
                ? await BurnOnDeviceAsync(settings, source, speed, cancellationToken).ConfigureAwait(false)
                : await BurnOnSimulatorAsync(settings, source, speed, cancellationToken).ConfigureAwait(false);
        }
        catch (DeviceException failure)
        {
            await Console.Error.WriteLineAsync($"farm burn: {failure.Error}").ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task<int> BurnOnSimulatorAsync(BurnSettings settings, ImageSource source, WriteSpeedRequest speed, CancellationToken cancellationToken)
    {
        var profile = SimulatedProfile(settings.Simulate!);
        await using var simulated = new SimulatedDrive(new SimulatedDriveOptions
        {
            Name = $"sim:{settings.Drive ?? "sim1"}",
            TimeScale = settings.TimeScale,
            WriteSpeedX = speed.TimesOneX,
        });
        var disc = SimulatedDisc.Blank(profile, $"{profile.Name}#1", new MemoryMediaStore());
        simulated.Insert(disc);
        var mmc = new MmcDrive(simulated, TimeProvider.System);
        Console.WriteLine($"burning {source.Path} ({Units.FormatSize(source.Length)}, {source.Blocks:N0} blocks) on {mmc.Name}, a simulated drive with a blank {profile.Name}");
        var code = await BurnAsync(mmc, settings, source, speed, cancellationToken).ConfigureAwait(false);
        if (settings.SaveDisc is { } path)
        {
            await AppendCommand.SaveDiscAsync(disc, path, cancellationToken).ConfigureAwait(false);
        }

        return code;
    }

    /// <summary>A real drive: /dev/sr*, /dev/sg*, \\.\CdRomN or iscsi://host:port/target/lun.</summary>
    private static Task<int> BurnOnDeviceAsync(BurnSettings settings, ImageSource source, WriteSpeedRequest speed, CancellationToken cancellationToken) =>
        OnDeviceAsync(settings.Drive!, async (mmc, inquiry) =>
        {
            Console.WriteLine($"burning {source.Path} ({Units.FormatSize(source.Length)}, {source.Blocks:N0} blocks) on {mmc.Name} ({inquiry})");
            return await BurnAsync(mmc, settings, source, speed, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Opens the real drive <paramref name="drive"/> and runs <paramref name="body"/> on it; a drive that cannot be opened is exit code 2 with why.</summary>
    internal static async Task<int> OnDeviceAsync(string drive, Func<MmcDrive, string, Task<int>> body, CancellationToken cancellationToken)
    {
        IScsiTransport transport;
        try
        {
            transport = ScsiTransports.Open(drive);
        }
        catch (ArgumentException unknown)
        {
            return Usage(unknown.Message);
        }
        catch (ScsiTransportException unreachable)
        {
            await Console.Error.WriteLineAsync($"farm burn: cannot open {drive}: {unreachable.Message}").ConfigureAwait(false);
            return 2;
        }

        await using (transport.ConfigureAwait(false))
        {
            var mmc = new MmcDrive(transport, TimeProvider.System);
            var inquiry = await mmc.InquiryAsync(cancellationToken).ConfigureAwait(false);
            return await body(mmc, inquiry.ToString()!).ConfigureAwait(false);
        }
    }

    private static async Task<int> BurnAsync(MmcDrive mmc, BurnSettings settings, ImageSource source, WriteSpeedRequest speed, CancellationToken cancellationToken)
    {
        var writer = new DataWriter(mmc, new DataWriterOptions { Verify = settings.Verify, WriteSpeed = speed, UseStreamingWrite12 = settings.Streaming });
        var burned = await BurnWithProgressAsync(writer, source, cancellationToken).ConfigureAwait(false);
        return Report(burned);
    }

    private static Task<BurnResult> BurnWithProgressAsync(DataWriter writer, ImageSource source, CancellationToken cancellationToken) =>
        BurnWithProgressAsync(source.Blocks, progress => writer.BurnAsync(source, progress, cancellationToken));

    /// <summary>Runs <paramref name="burn"/> under the progress bar of <paramref name="blocks"/> blocks.</summary>
    internal static async Task<BurnResult> BurnWithProgressAsync(long blocks, Func<IProgress<WriteProgress>, Task<BurnResult>> burn)
    {
        BurnResult? burned = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("validating", maxValue: blocks);
                var progress = new BurnProgress(task);
                burned = await burn(progress).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
            }).ConfigureAwait(false);
        return burned!;
    }

    internal static int Report(BurnResult burned)
    {
        var write = burned.Write;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"written: {write.Blocks:N0} blocks at LBA {write.StartLba} ({write.Profile}, session {write.SessionNumber}) in {write.Duration.TotalSeconds:F1} s, {write.AverageBytesPerSecond / 1e6:F1} MB/s"));
        if (write.Status != ImapiErrors.Ok)
        {
            Console.WriteLine($"note: {write.Status}: {write.Status.Description}");
        }

        Console.WriteLine($"sha256 {write.ImageSha256}");
        if (burned.Verify is not { } verify)
        {
            Console.WriteLine("verify: none");
            return 0;
        }

        var mode = verify.Mode.ToString().ToLowerInvariant();
        if (verify.Matches)
        {
            Console.WriteLine($"verify {mode}: OK ({verify.BlocksRead:N0} blocks read back, sha256 {verify.DiscSha256})");
            return 0;
        }

        Console.Error.WriteLine($"farm burn: verify {mode} FAILED: {verify.Problem}");
        return 3;
    }

    /// <summary>The session options that need others: null when they fit together.</summary>
    private static string? SessionUsage(BurnSettings settings) => settings switch
    {
        { Close: true, Append: false } => "--close applies to --append (a plain burn always closes the disc)",
        { ExistingSession: not null, Append: false } or { ExistingSession: not null, Simulate: null } =>
            "--existing-session IMAGE prepares a simulated disc for --append: give --append and --simulate PROFILE too",
        { SaveDisc: not null, Simulate: null } => "--save-disc FILE saves a simulated disc: give --simulate PROFILE (a real disc is read with its own drive)",
        _ => null,
    };

    internal static ProfileInfo SimulatedProfile(string name)
    {
        if (ReadOnlyProfiles.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.Df2DataMediaIsNotSupported, Disposition.NeedsOperator, $"a {name.ToUpperInvariant()} disc is read-only: load a writable disc ({Profiles.Names})"));
        }

        return Profiles.TryParse(name, out var info)
            ? info
            : throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.Df2DataMediaIsNotSupported, Disposition.NeedsOperator, $"'{name}' is not a medium the farm writes; use one of {Profiles.Names}"));
    }

    private static WriteSpeedRequest? ParseSpeed(string text)
    {
        if (string.Equals(text, "max", StringComparison.OrdinalIgnoreCase))
        {
            return WriteSpeedRequest.Maximum;
        }

        return double.TryParse(text.TrimEnd('x', 'X'), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) && x > 0
            ? WriteSpeedRequest.Times(x)
            : null;
    }

    internal static int Usage(string message)
    {
        Console.Error.WriteLine($"farm burn: {message}");
        return 2; // bad input, like every other command's
    }

    /// <summary>Progress into the bar: the action, MB/s, the drive's buffer and the host FIFO.</summary>
    internal sealed class BurnProgress(ProgressTask task) : IProgress<WriteProgress>
    {
        public void Report(WriteProgress value)
        {
            if (value.Action != WriteAction.WritingData)
            {
                task.Description = value.Action.ToString();
                return;
            }

            var drive = value.DriveBuffer is { } buffer ? $"{buffer.FillRatio:P0}" : "n/a";
            task.Description = string.Create(CultureInfo.InvariantCulture,
                $"writing {value.BytesPerSecond / 1e6,6:F1} MB/s  drive buffer {drive,4}  FIFO {value.SystemBufferFill,4:P0}");
            task.Value = Math.Max(0, value.SectorsWritten);
        }
    }
}
