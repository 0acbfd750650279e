using System.Text.Json;
using System.Text.Json.Serialization;
using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>The disc-state sidecar of file-backed discs, and re-opening a disc from it.</summary>
public sealed partial class SimulatedDisc
{
    /// <summary>
    /// Re-opens the file-backed disc in <paramref name="path"/> with its state. Blocks found in the
    /// file beyond the saved next writable address (written after the last save, before a crash)
    /// count as recorded: the drive had accepted them.
    /// </summary>
    public static SimulatedDisc OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        string statePath = StatePathFor(fullPath);
        if (!File.Exists(fullPath) || !File.Exists(statePath))
        {
            throw new FileNotFoundException($"no simulated disc at {fullPath} (media file and {statePath} are both needed)", fullPath);
        }

        var document = JsonSerializer.Deserialize(File.ReadAllText(statePath), DiscStateJsonContext.Default.DiscStateDocument);
        if (document is null || document.Sessions.Count == 0 || document.Tracks.Count == 0)
        {
            throw new InvalidDataException($"{statePath} does not hold a disc state");
        }

        var store = FileMediaStore.Open(fullPath);
        var disc = new SimulatedDisc(
            document.Id, Profiles.Get(document.Profile), store, document.Status, [.. document.Sessions], [.. document.Tracks])
        {
            RuinedReason = document.RuinedReason,
            Formatting = document.Formatting,
            CapacityBlocks = document.CapacityBlocks ?? Profiles.Get(document.Profile).CapacityBlocks,
        };
        disc.AdoptBlocksWrittenAfterLastSave();
        return disc;
    }

    /// <summary>Writes the sidecar (atomically: a temporary file renamed over the old one). No-op in memory.</summary>
    public void SaveState()
    {
        if (StatePath is null || _disposed)
        {
            return;
        }

        var document = new DiscStateDocument(
            DiscStateDocument.CurrentVersion, Id, Profile.Profile, Status, RuinedReason, [.. _sessions], [.. _tracks])
        {
            Formatting = Formatting,
            CapacityBlocks = CapacityBlocks,
        };
        string temporary = StatePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(document, DiscStateJsonContext.Default.DiscStateDocument));
        File.Move(temporary, StatePath, overwrite: true);
    }

    private void AdoptBlocksWrittenAfterLastSave()
    {
        if (WritableTrack is not { } track)
        {
            return;
        }

        long extent = Math.Min(Store.WrittenExtentBlocks, track.EndAddress);
        if (track.Status == TrackStatus.Reserved)
        {
            return;
        }

        if (extent <= track.NextWritableAddress)
        {
            return;
        }

        _tracks[^1] = track with { NextWritableAddress = extent, Status = TrackStatus.Incomplete };
        RecomputeOpenStatuses();
        SaveState();
    }
}

/// <summary>What the sidecar holds (version 1; the format state and capacity were added later and default when absent).</summary>
internal sealed record DiscStateDocument(
    int Version,
    string Id,
    Profile Profile,
    DiscStatus Status,
    string? RuinedReason,
    List<SimulatedSession> Sessions,
    List<SimulatedTrack> Tracks)
{
    public const int CurrentVersion = 1;

    public FormatState Formatting { get; init; }

    public long? CapacityBlocks { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DiscStateDocument))]
internal sealed partial class DiscStateJsonContext : JsonSerializerContext;
