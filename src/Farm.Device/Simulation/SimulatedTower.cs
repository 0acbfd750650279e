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
    private readonly SimulatedTowerOptions _options;
    private readonly IReadOnlyDictionary<string, SimulatedDrive> _drives;
    private readonly TimeProvider _time;
    private readonly ProfileInfo _profile;
    private readonly SemaphoreSlim _arm = new(1, 1);

    // Cancelled when the tower is disposed: a move still in its simulated delay stops there, so no
    // disc file is created once the node that owned the tower has shut down.
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, string> _discInDrive;
    private readonly Queue<TowerFault> _scriptedFaults = new();
    private readonly Lock _sync = new();
    private readonly List<string> _printed = [];
    private bool _jammed;
    private int _printerFaults;
    private int _refilled;
    private int _blanksUsed;
    private int _output;
    private int _reject;

    public SimulatedTower(SimulatedTowerOptions options, IReadOnlyDictionary<string, SimulatedDrive> drives, TimeProvider time, SimulatedTowerState? restored = null)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _drives = drives ?? throw new ArgumentNullException(nameof(drives));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _profile = Profiles.TryParse(options.MediaType, out var known) ? known : throw new ArgumentException($"unknown media type {options.MediaType}");
        var state = restored ?? SimulatedTowerState.New;
        _blanksUsed = state.BlanksUsed;
        _output = state.Output;
        _reject = state.Reject;
        _discInDrive = new Dictionary<string, string>(state.DiscInDrive, StringComparer.Ordinal);
        PutBackDiscsLeftInDrives();
    }

    /// <summary>The labels printed so far, in order (tests, demos).</summary>
    public IReadOnlyList<string> PrintedLabels
    {
        get
        {
            lock (_sync)
            {
                return [.. _printed];
            }
        }
    }

    public bool HasPrinter => _options.HasPrinter;

    /// <summary>An operator put <paramref name="blanks"/> more blanks in the input bin (up to its capacity).</summary>
    public void Refill(int blanks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blanks);
        lock (_sync)
        {
            _refilled += Math.Min(blanks, _blanksUsed - _refilled);
        }
    }

    /// <summary>An operator says the input bin holds <paramref name="blanksNow"/> blanks (up to its capacity): the difference is put in.</summary>
    public void InputRefilled(int blanksNow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blanksNow);
        lock (_sync)
        {
            var now = _options.InputCapacity - _blanksUsed + _refilled;
            _refilled += Math.Clamp(blanksNow - now, 0, _blanksUsed - _refilled);
        }
    }

    /// <summary>The arm jams: every move fails with <see cref="TowerFault.ArmJam"/> until <see cref="ClearJam"/>.</summary>
    public void JamArm()
    {
        lock (_sync)
        {
            _jammed = true;
        }
    }

    /// <summary>An operator freed the arm.</summary>
    public void ClearJam()
    {
        lock (_sync)
        {
            _jammed = false;
        }
    }

    /// <summary>The next <paramref name="count"/> prints fail (out of labels, ribbon jam).</summary>
    public void InjectPrinterFault(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_sync)
        {
            _printerFaults += count;
        }
    }

    public async Task<TimeSpan> PrintAsync(string driveId, string discId, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!_options.HasPrinter)
        {
            throw new LabelPrinterException($"tower {TowerId} has no printer fitted");
        }

        await EnterArmAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_sync)
            {
                if (_printerFaults > 0)
                {
                    _printerFaults--;
                    throw new LabelPrinterException($"tower {TowerId}: the printer is out of labels; reload it");
                }
            }

            await DelayAsync(_options.PrintDuration, cancellationToken).ConfigureAwait(false);
            lock (_sync)
            {
                _printed.Add($"{discId}: {text}");
            }

            return _options.PrintDuration;
        }
        finally
        {
            _arm.Release();
        }
    }

    private void PutBackDiscsLeftInDrives()
    {
        if (_options.MediaFolder is null || _options.DiscardMedia)
        {
            return;
        }

        foreach (var (driveId, discId) in _discInDrive)
        {
            var path = Path.Combine(_options.MediaFolder, discId + ".img");
            if (_drives.TryGetValue(driveId, out var drive) && drive.CurrentDisc is null && drive.DiscInTray is null && File.Exists(path))
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

    public string TowerId => _options.TowerId;

    public IReadOnlyList<string> DriveIds => [.. _drives.Keys];

    /// <summary>Makes the next arm move fail with <paramref name="fault"/> (tests and demos of alerts).</summary>
    public void InjectFault(TowerFault fault)
    {
        lock (_scriptedFaults)
        {
            _scriptedFaults.Enqueue(fault);
        }
    }

    public Task<TowerBins> GetBinsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new TowerBins(BlanksLeft, _profile.Name, _output, _reject));

    private int BlanksLeft
    {
        get
        {
            lock (_sync)
            {
                return _options.InputCapacity - _blanksUsed + _refilled;
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
            if (!string.Equals(mediaType, _profile.Name, StringComparison.OrdinalIgnoreCase))
            {
                throw new TowerException(TowerFault.InputEmpty, $"tower {TowerId} holds {_profile.Name} blanks, not {mediaType}");
            }

            if (BlanksLeft <= 0)
            {
                throw new TowerException(TowerFault.InputEmpty, $"tower {TowerId}: the input bin is empty; load {_profile.Name} blanks");
            }

            if (_discInDrive.ContainsKey(driveId) || drive.CurrentDisc is not null)
            {
                throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId}: drive {driveId} already holds a disc");
            }

            await DelayAsync(_options.LoadDuration, cancellationToken).ConfigureAwait(false);
            _blanksUsed++;
            var discId = $"{TowerId}-{_blanksUsed:D5}";
            var disc = _options.DiscardMedia ? SimulatedDisc.Blank(_profile, discId, new DiscardingMediaStore())
                : _options.MediaFolder is null ? SimulatedDisc.Blank(_profile, discId, new MemoryMediaStore())
                : SimulatedDisc.CreateFile(_profile, discId, Path.Combine(_options.MediaFolder, discId + ".img"));
            if (_options.PrepareInput is { } prepare)
            {
                await prepare(disc, cancellationToken).ConfigureAwait(false);
            }

            drive.Insert(disc);
            _discInDrive[driveId] = discId;
            return discId;
        }
        finally
        {
            _arm.Release();
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
            if (toOutput ? _output >= _options.OutputCapacity : _reject >= _options.RejectCapacity)
            {
                throw new TowerException(TowerFault.BinFull, $"tower {TowerId}: the {bin} bin is full; empty it");
            }

            // After a node restart the drive object is new and empty, but the journal says which
            // disc is physically in the tray: that is the one the arm takes.
            using var disc = drive.Eject();
            if (disc is null && !_discInDrive.ContainsKey(driveId))
            {
                throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId}: drive {driveId} holds no disc to unload");
            }

            await DelayAsync(_options.UnloadDuration, cancellationToken).ConfigureAwait(false);
            disc?.Flush();
            _discInDrive.Remove(driveId);
            if (toOutput)
            {
                _output++;
            }
            else
            {
                _reject++;
            }
        }
        finally
        {
            _arm.Release();
        }
    }

    private SimulatedDrive DriveOf(string driveId) =>
        _drives.TryGetValue(driveId, out var drive)
            ? drive
            : throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId} has no drive '{driveId}'");

    private void ThrowScriptedFault()
    {
        lock (_sync)
        {
            if (_jammed)
            {
                throw new TowerException(TowerFault.ArmJam, $"tower {TowerId}: the arm is jammed; free it and clear the alert");
            }
        }

        lock (_scriptedFaults)
        {
            if (_scriptedFaults.TryDequeue(out var fault))
            {
                throw new TowerException(fault, $"tower {TowerId}: simulated {fault}");
            }
        }
    }

    private async Task DelayAsync(TimeSpan simulated, CancellationToken cancellationToken)
    {
        var real = simulated / _options.TimeScale;
        if (real <= TimeSpan.Zero)
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await Task.Delay(real, _time, either.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the arm: a move in its delay is cancelled, and this returns once no move is running,
    /// so nothing touches the media folder afterwards (its owner may delete it next).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        // Taken for good: a later move is refused by the cancelled token, never left waiting.
        await _arm.WaitAsync().ConfigureAwait(false);
    }

    private async Task EnterArmAsync(CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await _arm.WaitAsync(either.Token).ConfigureAwait(false);
    }
}
