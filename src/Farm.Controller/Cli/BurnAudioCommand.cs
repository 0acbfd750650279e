using System.CommandLine;
using System.Globalization;
using Farm.Device.Audio;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Device.Transports.Opening;
using Farm.Messages;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm burn-audio WAV... --drive ID</c>: an audio CD of the WAV files, one track each, on one
/// local drive, disc-at-once by default (<c>--mode tao</c> for track-at-once), then verified by
/// reading every track back. Every WAV is checked before anything is staged. The options of
/// <c>farm burn</c> where they apply: <c>--simulate CD-R|CD-RW</c> (then <c>--drive</c> only names
/// the simulated drive and may be left out), <c>--time-scale</c>, <c>--speed</c>, <c>--verify</c>.
/// Album CD-TEXT and catalog number with <c>--title</c>, <c>--performer</c>, <c>--catalog</c>: the
/// CD-TEXT goes into the lead-in (disc-at-once only; <c>--mode tao</c> with it is refused) and is
/// read back with READ TOC format 5.
/// Exit codes: 0 burned (and verified), 2 bad input (the message names the file) or a device
/// error, 3 verify mismatch.
/// </summary>
public static class BurnAudioCommand
{
    public static Command Create()
    {
        var wavs = new Argument<string[]>("WAV") { Description = "WAV files (RIFF PCM 44.1 kHz 16-bit stereo), one track each, in order", Arity = ArgumentArity.OneOrMore };
        var drive = new Option<string?>("--drive", "--device") { Description = "Drive to burn on: /dev/sr0, /dev/sg1, \\\\.\\CdRom0, iscsi://... (with --simulate a name, default sim1)" };
        var mode = new Option<string>("--mode") { Description = "dao (disc-at-once, cue sheet, gapless) or tao (track-at-once)", DefaultValueFactory = _ => "dao" };
        var verify = new Option<VerifyMode>("--verify") { Description = "none, or quick/full: read every track back and compare", DefaultValueFactory = _ => VerifyMode.Full };
        var speed = new Option<string>("--speed") { Description = "max, or a multiple of CD 1x (e.g. 16)", DefaultValueFactory = _ => "max" };
        var simulate = new Option<string?>("--simulate") { Description = "Burn on a simulated drive with a blank CD-R or CD-RW" };
        var timeScale = new Option<double>("--time-scale") { Description = "Simulated seconds per real second (1 = the medium's real speed)", DefaultValueFactory = _ => 1 };
        var title = new Option<string?>("--title") { Description = "Album title (CD-TEXT)" };
        var performer = new Option<string?>("--performer") { Description = "Album performer (CD-TEXT)" };
        var catalog = new Option<string?>("--catalog") { Description = "UPC/EAN media catalog number (13 digits)" };
        var command = new Command("burn-audio", "Burn WAV files as an audio CD on one local drive")
        {
            wavs, drive, mode, verify, speed, simulate, timeScale, title, performer, catalog,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new Settings(
                result.GetValue(wavs)!,
                result.GetValue(drive),
                result.GetValue(mode)!,
                result.GetValue(verify),
                result.GetValue(speed)!,
                result.GetValue(simulate),
                result.GetValue(timeScale),
                new AudioDiscInfo(result.GetValue(title), result.GetValue(performer), result.GetValue(catalog))),
            cancellationToken));
        return command;
    }

    private sealed record Settings(string[] Wavs, string? Drive, string Mode, VerifyMode Verify, string Speed, string? Simulate, double TimeScale, AudioDiscInfo Disc);

    private static async Task<int> RunAsync(Settings settings, CancellationToken cancellationToken)
    {
        AudioWriteMode? mode = settings.Mode.ToLowerInvariant() switch
        {
            "dao" or "sao" => AudioWriteMode.DiscAtOnce,
            "tao" => AudioWriteMode.TrackAtOnce,
            _ => null,
        };
        double? speedX = string.Equals(settings.Speed, "max", StringComparison.OrdinalIgnoreCase) ? null
            : double.TryParse(settings.Speed.TrimEnd('x', 'X'), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x) && x > 0 ? x : -1;
        string? problem = mode is null ? $"--mode must be dao or tao, not '{settings.Mode}'"
            : speedX < 0 ? $"--speed must be 'max' or a positive multiple of 1x, not '{settings.Speed}'"
            : settings.TimeScale is < 1 or > 1_000_000 || !double.IsFinite(settings.TimeScale) ? $"--time-scale must be between 1 and 1000000, not {settings.TimeScale.ToString(CultureInfo.InvariantCulture)}"
            : settings.Drive is null && settings.Simulate is null ? "--drive is required (it may be left out only with --simulate)"
            : null;
        if (problem is not null)
        {
            return await FailAsync(problem, 2).ConfigureAwait(false);
        }

        try
        {
            using var master = DiscMaster.ForAudio();
            var stager = master.Redbook;
            stager.Disc = settings.Disc;
            var staged = await WavStaging.StageAsync(stager, settings.Wavs, null, cancellationToken).ConfigureAwait(false);
            var layout = stager.Layout();
            Console.WriteLine($"staged {staged.Count} tracks, {CdAddress.Duration(layout.TotalBlocks)} ({layout.TotalBlocks:N0} blocks) with the 2-second pre-gap");
            var options = new AudioWriterOptions { Mode = mode!.Value, WriteSpeedX = speedX, Verify = settings.Verify != VerifyMode.None };
            return settings.Simulate is null
                ? await BurnOnDeviceAsync(settings.Drive!, layout, options, settings.Wavs, cancellationToken).ConfigureAwait(false)
                : await BurnOnSimulatorAsync(settings, layout, options, cancellationToken).ConfigureAwait(false);
        }
        catch (DeviceException failure)
        {
            return await FailAsync(failure.Error.ToString(), 2).ConfigureAwait(false);
        }
    }

    private static async Task<int> BurnOnSimulatorAsync(Settings settings, AudioDiscLayout layout, AudioWriterOptions options, CancellationToken cancellationToken)
    {
        if (!Profiles.TryParse(settings.Simulate!, out var profile) || profile.Profile is not (Profile.CdR or Profile.CdRw))
        {
            return await FailAsync($"--simulate must be CD-R or CD-RW for an audio CD, not '{settings.Simulate}'", 2).ConfigureAwait(false);
        }

        await using var simulated = new SimulatedDrive(new SimulatedDriveOptions
        {
            Name = $"sim:{settings.Drive ?? "sim1"}",
            TimeScale = settings.TimeScale,
            WriteSpeedX = options.WriteSpeedX,
        });
        simulated.Insert(SimulatedDisc.Blank(profile, $"{profile.Name}#1", new MemoryMediaStore()));
        var mmc = new MmcDrive(simulated, TimeProvider.System);
        Console.WriteLine($"burning {layout.Tracks.Count} tracks on {mmc.Name}, a simulated drive with a blank {profile.Name}");
        var code = await BurnAsync(mmc, layout, options, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"drive buffer underruns: {simulated.Underruns}");
        return code;
    }

    private static async Task<int> BurnOnDeviceAsync(string device, AudioDiscLayout layout, AudioWriterOptions options, string[] wavs, CancellationToken cancellationToken)
    {
        IScsiTransport transport;
        try
        {
            transport = ScsiTransports.Open(device);
        }
        catch (ArgumentException unknown)
        {
            return await FailAsync(unknown.Message, 2).ConfigureAwait(false);
        }
        catch (ScsiTransportException unreachable)
        {
            return await FailAsync($"cannot open {device}: {unreachable.Message}", 2).ConfigureAwait(false);
        }

        await using (transport.ConfigureAwait(false))
        {
            var mmc = new MmcDrive(transport, TimeProvider.System);
            Console.WriteLine($"burning {wavs.Length} tracks on {mmc.Name}");
            return await BurnAsync(mmc, layout, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> BurnAsync(MmcDrive mmc, AudioDiscLayout layout, AudioWriterOptions options, CancellationToken cancellationToken)
    {
        var burned = await new AudioDiscWriter(mmc, options).BurnAsync(layout, new TrackLines(layout), cancellationToken).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"written: {burned.Tracks.Count} tracks, {burned.BlocksWritten:N0} blocks ({(burned.Mode == AudioWriteMode.DiscAtOnce ? "disc-at-once" : "track-at-once")}) in {burned.WriteDuration.TotalSeconds:F1} s"));
        foreach (var track in burned.Tracks)
        {
            Console.WriteLine($"track {track.Number}: LBA {track.StartLba}, {CdAddress.Duration(track.Blocks)}, sha256 {track.Sha256}");
        }

        if (burned.CdTextPacks > 0)
        {
            Console.WriteLine($"cd-text: {burned.CdTextPacks} packs written in the lead-in");
        }

        if (burned.Verify is not { } verify)
        {
            Console.WriteLine("verify: none");
            return 0;
        }

        if (verify.Matches)
        {
            Console.WriteLine($"verify: OK ({verify.TracksCompared} tracks read back with READ CD, every block equal{(burned.CdTextPacks > 0 ? "; the CD-TEXT packs read back with READ TOC format 5" : string.Empty)})");
            if (burned.CdTextPacks > 0)
            {
                // What a player would show: the text as the drive reads it from the lead-in.
                var packs = await mmc.ReadCdTextAsync(cancellationToken).ConfigureAwait(false);
                var titles = CdTextPacks.Decode(packs, CdTextPacks.TypeTitle);
                var performers = CdTextPacks.Decode(packs, CdTextPacks.TypePerformer);
                Console.WriteLine($"cd-text on the disc: title \"{(titles.Count > 0 ? titles[0] : string.Empty)}\", performer \"{(performers.Count > 0 ? performers[0] : string.Empty)}\"");
            }

            return 0;
        }

        return await FailAsync($"verify FAILED: {verify.Problem}", 3).ConfigureAwait(false);
    }

    private static async Task<int> FailAsync(string message, int code)
    {
        await Console.Error.WriteLineAsync($"farm burn-audio: {message}").ConfigureAwait(false);
        return code;
    }

    /// <summary>One line per track once it is sent: "track 2/2: 00:03:00 written".</summary>
    private sealed class TrackLines(AudioDiscLayout layout) : IProgress<AudioTrackProgress>
    {
        public void Report(AudioTrackProgress value)
        {
            if (value.Done)
            {
                var placement = layout.Tracks[value.Track - 1];
                Console.WriteLine($"track {value.Track}/{value.Tracks}: {CdAddress.Duration(value.Blocks)} written at LBA {placement.StartLba}");
            }
        }
    }
}
