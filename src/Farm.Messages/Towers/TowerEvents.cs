namespace Farm.Messages.Towers;

// A tower's arm and bins, appended by its TowerActor to the stream "tower-{TowerId}".

/// <summary>The tower reported its bins (on start and after every move).</summary>
/// <param name="CanPrintLabels">
/// The tower has a disc printer the node drives (a simulated tower's fitted printer; a SCSI media
/// changer's tower has none the farm can drive). Labelled jobs go only to towers that can print;
/// events stored before the field existed read false until the tower reports again.
/// </param>
public sealed record TowerBinsReported(string TowerId, int InputBlanks, string InputMediaType, int Output, int Reject, bool CanPrintLabels = false) : IFarmEvent;

/// <summary>The arm moved a blank from the input bin into a drive.</summary>
public sealed record DiscPicked(string TowerId, string DriveId, string DiscId, string MediaType) : IFarmEvent;

/// <summary>The arm moved a disc from a drive into the output or the reject bin.</summary>
public sealed record DiscBinned(string TowerId, string DriveId, string DiscId, string Bin, string? Reason) : IFarmEvent;

/// <summary>Something the operator must see: input empty, output full, arm jammed.</summary>
public sealed record TowerAlertRaised(string TowerId, string Alert, string Message) : IFarmEvent;
