using Farm.Device.Mmc;
using Farm.Device.Towers;
using Farm.Messages;

namespace Farm.Device.Simulation;

/// <summary>A simulated tower's size, media and timings (simulated time, divided by <see cref="TimeScale"/>).</summary>
public sealed record SimulatedTowerOptions
{
    public required string TowerId { get; init; }

    /// <summary>The profile name of the blanks in the input bin ("DVD+R").</summary>
    public string MediaType { get; init; } = "DVD+R";

    public int InputCapacity { get; init; } = 100;

    public int OutputCapacity { get; init; } = 100;

    public int RejectCapacity { get; init; } = 50;

    /// <summary>Arm: input bin to drive tray, tray closed (real towers: about 8 s).</summary>
    public TimeSpan LoadDuration { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Arm: tray opened, disc to a bin (real towers: about 6 s).</summary>
    public TimeSpan UnloadDuration { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Printer: one label (real disc printers: about 40 s).</summary>
    public TimeSpan PrintDuration { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Whether the tower has a disc printer fitted.</summary>
    public bool HasPrinter { get; init; }

    public double TimeScale { get; init; } = 1;

    /// <summary>Where disc contents live (a sparse file per disc, so they survive a restart); null keeps them in memory.</summary>
    public string? MediaFolder { get; init; }

    /// <summary>Blanks keep nothing written to them (<see cref="DiscardingMediaStore"/>; no verify possible), for benchmarks; overrides <see cref="MediaFolder"/>.</summary>
    public bool DiscardMedia { get; init; }

    /// <summary>Runs on each disc taken from the input bin before it goes into the drive (tests: discs that already hold a session); null: blanks.</summary>
    public Func<SimulatedDisc, CancellationToken, Task>? PrepareInput { get; init; }

    public SimulatedTowerOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(TowerId))
        {
            throw new ArgumentException("SimulatedTowerOptions.TowerId is required");
        }

        if (!Profiles.TryParse(MediaType, out _))
        {
            throw new ArgumentException($"SimulatedTowerOptions.MediaType '{MediaType}' is not a known medium; use one of {Profiles.Names}");
        }

        if (InputCapacity < 0 || OutputCapacity < 1 || RejectCapacity < 1)
        {
            throw new ArgumentException("SimulatedTowerOptions: InputCapacity must be >= 0, OutputCapacity and RejectCapacity >= 1");
        }

        return TimeScale <= 0 || double.IsNaN(TimeScale) || LoadDuration < TimeSpan.Zero || UnloadDuration < TimeSpan.Zero || PrintDuration < TimeSpan.Zero
            ? throw new ArgumentException($"SimulatedTowerOptions: TimeScale ({TimeScale}) must be positive and durations not negative")
            : this;
    }
}

/// <summary>
/// Where a simulated tower's discs are after a restart, rebuilt from the tower's journal stream
/// by the node: blanks already used, discs in each bin, and which disc each drive holds.
/// </summary>
public sealed record SimulatedTowerState(int BlanksUsed, int Output, int Reject, IReadOnlyDictionary<string, string> DiscInDrive)
{
    public static readonly SimulatedTowerState New = new(0, 0, 0, new Dictionary<string, string>());
}

/// <summary>
/// A tower: an input bin of blanks of one medium, an output and a reject bin, one arm serving its
/// drives, optionally a label printer. The arm does one move at a time; each takes its simulated
/// duration. Faults can be scripted: the next move fails with a given <see cref="TowerFault"/>
/// (<see cref="InjectFault"/>), a fault stays until an operator clears it
/// (<see cref="JamArm"/>, <see cref="ClearJam"/>), the next print fails
/// (<see cref="InjectPrinterFault"/>); an operator refills the input bin with <see cref="Refill"/>.
/// After a restart, a disc the journal says is in a drive is put back in it (file-backed media),
/// as it physically stayed there.
/// </summary>
public sealed class SimulatedTower : ITowerRobot, ILabelPrinter, IOperatorRefilledBins, IAsyncDisposable
{
    private readonly SimulatedTowerOptions options;
    private readonly IReadOnlyDictionary<string, SimulatedDrive> drives;
    private readonly TimeProvider time;
    private readonly ProfileInfo profile;
    private readonly SemaphoreSlim arm = new(1, 1);

    // Cancelled when the tower is disposed: a move still in its simulated delay stops there, so no
    // disc file is created once the node that owned the tower has shut down.
    private readonly CancellationTokenSource stopping = new();
    private readonly Dictionary<string, string> discInDrive;
    private readonly Queue<TowerFault> scriptedFaults = new();
    private readonly Lock sync = new();
    private readonly List<string> printed = [];
    private bool jammed;
    private int printerFaults;
    private int refilled;
    private int blanksUsed;
    private int output;
    private int reject;

    public SimulatedTower(SimulatedTowerOptions options, IReadOnlyDictionary<string, SimulatedDrive> drives, TimeProvider time, SimulatedTowerState? restored = null)
    {
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        this.drives = drives ?? throw new ArgumentNullException(nameof(drives));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        profile = Profiles.TryParse(options.MediaType, out var known) ? known : throw new ArgumentException($"unknown media type {options.MediaType}");
        var state = restored ?? SimulatedTowerState.New;
        blanksUsed = state.BlanksUsed;
        output = state.Output;
        reject = state.Reject;
        discInDrive = new Dictionary<string, string>(state.DiscInDrive, StringComparer.Ordinal);
        PutBackDiscsLeftInDrives();
    }

    /// <summary>The labels printed so far, in order (tests, demos).</summary>
    public IReadOnlyList<string> PrintedLabels
    {
        get
        {
            lock (sync)
            {
                return [.. printed];
            }
        }
    }

    public bool HasPrinter => options.HasPrinter;

    /// <summary>An operator put <paramref name="blanks"/> more blanks in the input bin (up to its capacity).</summary>
    public void Refill(int blanks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blanks);
        lock (sync)
        {
            refilled += Math.Min(blanks, blanksUsed - refilled);
        }
    }

    /// <summary>An operator says the input bin holds <paramref name="blanksNow"/> blanks (up to its capacity): the difference is put in.</summary>
    public void InputRefilled(int blanksNow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blanksNow);
        lock (sync)
        {
            var now = options.InputCapacity - blanksUsed + refilled;
            refilled += Math.Clamp(blanksNow - now, 0, blanksUsed - refilled);
        }
    }

    /// <summary>The arm jams: every move fails with <see cref="TowerFault.ArmJam"/> until <see cref="ClearJam"/>.</summary>
    public void JamArm()
    {
        lock (sync)
        {
            jammed = true;
        }
    }

    /// <summary>An operator freed the arm.</summary>
    public void ClearJam()
    {
        lock (sync)
        {
            jammed = false;
        }
    }

    /// <summary>The next <paramref name="count"/> prints fail (out of labels, ribbon jam).</summary>
    public void InjectPrinterFault(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (sync)
        {
            printerFaults += count;
        }
    }

    public async Task<TimeSpan> PrintAsync(string driveId, string discId, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!options.HasPrinter)
        {
            throw new LabelPrinterException($"tower {TowerId} has no printer fitted");
        }

        await EnterArmAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (sync)
            {
                if (printerFaults > 0)
                {
                    printerFaults--;
                    throw new LabelPrinterException($"tower {TowerId}: the printer is out of labels; reload it");
                }
            }

            await DelayAsync(options.PrintDuration, cancellationToken).ConfigureAwait(false);
            lock (sync)
            {
                printed.Add($"{discId}: {text}");
            }

            return options.PrintDuration;
        }
        finally
        {
            arm.Release();
        }
    }

    private void PutBackDiscsLeftInDrives()
    {
        if (options.MediaFolder is null || options.DiscardMedia)
        {
            return;
        }

        foreach (var (driveId, discId) in discInDrive)
        {
            var path = Path.Combine(options.MediaFolder, discId + ".img");
            if (drives.TryGetValue(driveId, out var drive) && drive.CurrentDisc is null && drive.DiscInTray is null && File.Exists(path))
            {
                try
                {
                    drive.Insert(SimulatedDisc.OpenFile(path));
                }
                catch (Exception unreadable) when (unreadable is IOException or InvalidDataException or System.Text.Json.JsonException or FormatException)
                {
                    // A disc whose state a crash left unreadable stays out; the arm still bins it by the journal's word.
                }
            }
        }
    }

    public string TowerId => options.TowerId;

    public IReadOnlyList<string> DriveIds => [.. drives.Keys];

    /// <summary>Makes the next arm move fail with <paramref name="fault"/> (tests and demos of alerts).</summary>
    public void InjectFault(TowerFault fault)
    {
        lock (scriptedFaults)
        {
            scriptedFaults.Enqueue(fault);
        }
    }

    public Task<TowerBins> GetBinsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new TowerBins(BlanksLeft, profile.Name, output, reject));

    private int BlanksLeft
    {
        get
        {
            lock (sync)
            {
                return options.InputCapacity - blanksUsed + refilled;
            }
        }
    }

    public async Task<string> LoadBlankAsync(string driveId, string mediaType, CancellationToken cancellationToken)
    {
        var drive = DriveOf(driveId);
        await EnterArmAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowScriptedFault();
            if (!string.Equals(mediaType, profile.Name, StringComparison.OrdinalIgnoreCase))
            {
                throw new TowerException(TowerFault.InputEmpty, $"tower {TowerId} holds {profile.Name} blanks, not {mediaType}");
            }

            if (BlanksLeft <= 0)
            {
                throw new TowerException(TowerFault.InputEmpty, $"tower {TowerId}: the input bin is empty; load {profile.Name} blanks");
            }

            if (discInDrive.ContainsKey(driveId) || drive.CurrentDisc is not null)
            {
                throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId}: drive {driveId} already holds a disc");
            }

            await DelayAsync(options.LoadDuration, cancellationToken).ConfigureAwait(false);
            blanksUsed++;
            var discId = $"{TowerId}-{blanksUsed:D5}";
            var disc = options.DiscardMedia ? SimulatedDisc.Blank(profile, discId, new DiscardingMediaStore())
                : options.MediaFolder is null ? SimulatedDisc.Blank(profile, discId, new MemoryMediaStore())
                : SimulatedDisc.CreateFile(profile, discId, Path.Combine(options.MediaFolder, discId + ".img"));
            if (options.PrepareInput is { } prepare)
            {
                await prepare(disc, cancellationToken).ConfigureAwait(false);
            }

            drive.Insert(disc);
            discInDrive[driveId] = discId;
            return discId;
        }
        finally
        {
            arm.Release();
        }
    }

    public async Task UnloadAsync(string driveId, string bin, CancellationToken cancellationToken)
    {
        var drive = DriveOf(driveId);
        await EnterArmAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowScriptedFault();
            var toOutput = bin == Bins.Output;
            if (toOutput ? output >= options.OutputCapacity : reject >= options.RejectCapacity)
            {
                throw new TowerException(TowerFault.BinFull, $"tower {TowerId}: the {bin} bin is full; empty it");
            }

            // After a node restart the drive object is new and empty, but the journal says which
            // disc is physically in the tray: that is the one the arm takes.
            using var disc = drive.Eject();
            if (disc is null && !discInDrive.ContainsKey(driveId))
            {
                throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId}: drive {driveId} holds no disc to unload");
            }

            await DelayAsync(options.UnloadDuration, cancellationToken).ConfigureAwait(false);
            disc?.Flush();
            discInDrive.Remove(driveId);
            if (toOutput)
            {
                output++;
            }
            else
            {
                reject++;
            }
        }
        finally
        {
            arm.Release();
        }
    }

    private SimulatedDrive DriveOf(string driveId) =>
        drives.TryGetValue(driveId, out var drive)
            ? drive
            : throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId} has no drive '{driveId}'");

    private void ThrowScriptedFault()
    {
        lock (sync)
        {
            if (jammed)
            {
                throw new TowerException(TowerFault.ArmJam, $"tower {TowerId}: the arm is jammed; free it and clear the alert");
            }
        }

        lock (scriptedFaults)
        {
            if (scriptedFaults.TryDequeue(out var fault))
            {
                throw new TowerException(fault, $"tower {TowerId}: simulated {fault}");
            }
        }
    }

    private async Task DelayAsync(TimeSpan simulated, CancellationToken cancellationToken)
    {
        var real = simulated / options.TimeScale;
        if (real <= TimeSpan.Zero)
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        await Task.Delay(real, time, either.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the arm: a move in its delay is cancelled, and this returns once no move is running,
    /// so nothing touches the media folder afterwards (its owner may delete it next).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        // Taken for good: a later move is refused by the cancelled token, never left waiting.
        await arm.WaitAsync().ConfigureAwait(false);
    }

    private async Task EnterArmAsync(CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        await arm.WaitAsync(either.Token).ConfigureAwait(false);
    }
}
