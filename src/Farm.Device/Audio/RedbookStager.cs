using Farm.Device.Errors;
using Microsoft.Win32.SafeHandles;

namespace Farm.Device.Audio;

/// <summary>
/// IRedbookDiscMaster (seed 004): an audio disc staged track by track. CreateTrack opens a track
/// (of N blocks, or open-ended), AddBlocks appends whole 2352-byte blocks to it, CloseTrack ends
/// it. The blocks go to a stash file (IMAPI stages the same way), deleted when the stager is.
/// Errors, each with the seed's code: a track already open IMAPI_E_TRACKOPEN; blocks or a close
/// without an open track IMAPI_E_TRACKNOTOPEN; a 100th track, or blocks beyond the disc's
/// capacity (the 2-second pre-gap, every track at its Red Book minimum of 4 seconds) or beyond
/// a fixed track's N, IMAPI_E_DISCFULL / IMAPI_E_TRACK_NOT_BIG_ENOUGH; any call once Joliet is
/// the active format, IMAPI_E_WRONGFORMAT. A track of N blocks closed early is completed with
/// digital silence: N is its length on the disc. Not thread-safe (one stager per job).
/// </summary>
public sealed class RedbookStager : IDisposable
{
    public const int MaximumTracks = 99;

    private readonly DiscMaster _master;
    private readonly string _stashDirectory;
    private readonly List<StagedAudioTrack> _tracks = [];
    private SafeFileHandle? _stash;
    private string? _stashPath;
    private long _stashBlocks;
    private OpenTrack? _open;
    private AudioDiscInfo _disc = AudioDiscInfo.None;

    internal RedbookStager(DiscMaster master, string stashDirectory, long capacityBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBlocks, CdAddress.PregapBlocks + CdAddress.MinimumTrackBlocks);
        _master = master;
        _stashDirectory = stashDirectory;
        CapacityBlocks = capacityBlocks;
    }

    /// <summary>GetAudioBlockSize.</summary>
    public static int BlockSize => CdAddress.BlockBytes;

    /// <summary>The disc's capacity in blocks, pre-gap included (GetTotalAudioBlocks).</summary>
    public long CapacityBlocks { get; }

    /// <summary>Closed tracks, in order (GetTotalAudioTracks is their count).</summary>
    public IReadOnlyList<StagedAudioTrack> Tracks
    {
        get
        {
            _master.Require(DiscMasterFormat.Redbook);
            return _tracks;
        }
    }

    public bool IsTrackOpen => _open is not null;

    /// <summary>Album CD-TEXT and catalog number.</summary>
    public AudioDiscInfo Disc
    {
        get => _disc;
        set
        {
            _master.Require(DiscMasterFormat.Redbook);
            _disc = (value ?? throw new ArgumentNullException(nameof(value))).Validate();
        }
    }

    /// <summary>GetUsedAudioBlocks: the pre-gap, closed tracks at their disc length and the open track so far (at least 4 seconds).</summary>
    public long UsedBlocks => CdAddress.PregapBlocks + _tracks.Sum(t => t.DiscBlocks) + (_open is { } track ? track.Reserved : 0);

    /// <summary>GetAvailableAudioTrackBlocks.</summary>
    public long AvailableBlocks => CapacityBlocks - UsedBlocks;

    /// <summary>CreateAudioTrack: opens track <c>Tracks.Count + 1</c>, of exactly <paramref name="blocks"/> blocks or open-ended (null).</summary>
    public void CreateTrack(long? blocks = null, AudioTrackInfo? info = null)
    {
        _master.Require(DiscMasterFormat.Redbook);
        if (_open is { } current)
        {
            throw AudioErrors.Of(ImapiErrors.V1TrackOpen, $"track {current.Number} is still open: close it before creating track {current.Number + 1}");
        }

        if (blocks is <= 0)
        {
            throw AudioErrors.Of(ImapiErrors.InvalidArgument, $"a track of {blocks} blocks cannot be created: give a positive size or none (open-ended)");
        }

        if (_tracks.Count == MaximumTracks)
        {
            throw AudioErrors.Of(ImapiErrors.V1DiscFull, $"the disc already has {MaximumTracks} tracks, the most a CD holds (Red Book track numbers 01-99)");
        }

        var checkedInfo = (info ?? AudioTrackInfo.None).Validate();
        long reserved = Math.Max(blocks ?? 0, CdAddress.MinimumTrackBlocks);
        if (reserved > AvailableBlocks)
        {
            throw AudioErrors.Of(ImapiErrors.V1DiscFull,
                $"track {_tracks.Count + 1} needs {reserved:N0} blocks ({CdAddress.Duration(reserved)}) but {AvailableBlocks:N0} are left of {CapacityBlocks:N0} ({CdAddress.Duration(CapacityBlocks)})");
        }

        EnsureStash();
        _open = new OpenTrack(_tracks.Count + 1, _stashBlocks, blocks, checkedInfo);
    }

    /// <summary>AddAudioTrackBlocks: appends whole 2352-byte blocks of 16-bit little-endian stereo to the open track.</summary>
    public void AddBlocks(ReadOnlySpan<byte> audio)
    {
        _master.Require(DiscMasterFormat.Redbook);
        var track = _open ?? throw AudioErrors.Of(ImapiErrors.V1TrackNotOpen, "no track is open: create a track before adding audio blocks");
        if (audio.Length % BlockSize != 0)
        {
            throw AudioErrors.Of(ImapiErrors.InvalidArgument, $"{audio.Length:N0} bytes are not a whole number of {BlockSize}-byte audio blocks");
        }

        long count = audio.Length / BlockSize;
        if (track.FixedBlocks is { } fixedBlocks && track.Blocks + count > fixedBlocks)
        {
            throw AudioErrors.Of(ImapiErrors.V1TrackNotBigEnough,
                $"track {track.Number} was created with {fixedBlocks:N0} blocks; {track.Blocks:N0} are staged and {count:N0} more do not fit");
        }

        long grows = Math.Max(track.Blocks + count, CdAddress.MinimumTrackBlocks) - track.Reserved;
        if (grows > AvailableBlocks)
        {
            throw AudioErrors.Of(ImapiErrors.V1DiscFull,
                $"track {track.Number}: {count:N0} more blocks do not fit, {AvailableBlocks:N0} are left of {CapacityBlocks:N0} ({CdAddress.Duration(CapacityBlocks)})");
        }

        RandomAccess.Write(_stash!, audio, _stashBlocks * BlockSize);
        _stashBlocks += count;
        track.Blocks += count;
    }

    /// <summary>CloseAudioTrack: a track of N blocks is completed with silence up to N.</summary>
    public StagedAudioTrack CloseTrack()
    {
        _master.Require(DiscMasterFormat.Redbook);
        var track = _open ?? throw AudioErrors.Of(ImapiErrors.V1TrackNotOpen, "no track is open to close");
        if (track.FixedBlocks is { } fixedBlocks && track.Blocks < fixedBlocks)
        {
            long missing = fixedBlocks - track.Blocks;
            // Silence: extending the stash reads back as zeros (and stays sparse where the file system allows).
            _stashBlocks += missing;
            RandomAccess.SetLength(_stash!, _stashBlocks * BlockSize);
            track.Blocks = fixedBlocks;
        }

        if (track.Blocks == 0)
        {
            _open = null;
            throw AudioErrors.Of(ImapiErrors.V1TrackNotBigEnough, $"track {track.Number} has no audio blocks; it was dropped");
        }

        var closed = new StagedAudioTrack(track.Number, track.StashBlock, track.Blocks, track.Info);
        _tracks.Add(closed);
        _open = null;
        return closed;
    }

    /// <summary>The layout on disc of the tracks closed so far; IMAPI_E_TRACKOPEN while one is open, IMAPI_E_INVALIDIMAGE without tracks.</summary>
    public AudioDiscLayout Layout()
    {
        _master.Require(DiscMasterFormat.Redbook);
        if (_open is { } track)
        {
            throw AudioErrors.Of(ImapiErrors.V1TrackOpen, $"track {track.Number} is still open: close it before burning");
        }

        return _tracks.Count == 0
            ? throw AudioErrors.Of(ImapiErrors.V1InvalidImage, "the audio disc has no tracks: stage at least one before burning")
            : new AudioDiscLayout(this, _tracks, _disc);
    }

    /// <summary>Reads staged blocks back from the stash.</summary>
    internal void ReadStash(long block, Span<byte> destination)
    {
        int read = RandomAccess.Read(_stash!, destination, block * BlockSize);
        if (read != destination.Length)
        {
            throw new IOException($"the audio stash {_stashPath} returned {read} of {destination.Length} bytes at block {block}");
        }
    }

    /// <summary>Drops every track and the stash (format change, IMAPI's ClearFormatContent).</summary>
    internal void Clear()
    {
        _tracks.Clear();
        _open = null;
        _disc = AudioDiscInfo.None;
        _stash?.Dispose();
        _stash = null;
        _stashBlocks = 0;
    }

    public void Dispose() => Clear();

    private void EnsureStash()
    {
        if (_stash is not null)
        {
            return;
        }

        Directory.CreateDirectory(_stashDirectory);
        _stashPath = Path.Combine(_stashDirectory, $"farm-audio-stash-{Guid.NewGuid():N}.raw");
        _stash = File.OpenHandle(_stashPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    private sealed class OpenTrack(int number, long stashBlock, long? fixedBlocks, AudioTrackInfo info)
    {
        public int Number { get; } = number;

        public long StashBlock { get; } = stashBlock;

        public long? FixedBlocks { get; } = fixedBlocks;

        public AudioTrackInfo Info { get; } = info;

        public long Blocks { get; set; }

        /// <summary>Blocks the track holds on the disc so far: its N, or what was added, at least 4 seconds.</summary>
        public long Reserved => Math.Max(FixedBlocks ?? Blocks, CdAddress.MinimumTrackBlocks);
    }
}
