using Farm.Device.Audio;

namespace Farm.Device.Simulation;

/// <summary>
/// CD-TEXT in the lead-in of a session-at-once CD. When the accepted cue sheet's lead-in entry says
/// data form 41h, the host must first write the lead-in's R-W sub-channel (<see cref="CdTextLeadIn"/>:
/// 96 bytes a block, 4 packs as six-bit symbols) from the ATIP's lead-in start
/// (<see cref="AtipLeadInStartLba"/>) without a gap up to LBA -151; only then the pre-gap at -150.
/// Every pack must be six-bit symbols with a good CRC (MMC-3 Annex J), else 5/26/00 INVALID FIELD
/// IN PARAMETER LIST: a strict drive refuses what it would record as unreadable CD-TEXT rather than
/// burning it. The drive keeps each distinct pack once, in the order first written, and READ
/// TOC/PMA/ATIP format 5 answers with them once the session is complete.
/// </summary>
public sealed partial class SimulatedDisc
{
    /// <summary>
    /// Where a blank simulated CD's lead-in starts: ATIP 97:26:66, LBA -11634 (a common CD-R
    /// value), which READ DISC INFORMATION reports as the last session's lead-in start.
    /// </summary>
    public const long AtipLeadInStartLba = -11634;

    private readonly List<byte[]> _leadInPacks = [];
    private readonly HashSet<string> _leadInPackKeys = new(StringComparer.Ordinal);
    private byte[] _cdText = [];

    /// <summary>The CD-TEXT packs of the complete session's lead-in (18 bytes each, back to back); empty without CD-TEXT.</summary>
    public ReadOnlyMemory<byte> CdText => _cdText;

    /// <summary>
    /// Checks a WRITE of lead-in blocks: a session-at-once recording whose cue sheet announced CD-TEXT
    /// (5/2C/00 without a cue sheet, 5/21/02 without form 41h or not at the next lead-in LBA or past
    /// LBA -151), and every pack's symbols and CRC (5/26/00).
    /// </summary>
    internal SenseCode? CheckLeadInWrite(long lba, ReadOnlySpan<byte> data)
    {
        if (IsRuined)
        {
            return SenseCode.WriteError;
        }

        if (_cuePlan is not { } plan)
        {
            return SenseCode.CommandSequenceError;
        }

        long blocks = data.Length / CdTextLeadIn.BlockBytes;
        if (!plan.CdTextInLeadIn || lba != _cueNext || lba + blocks > plan.FirstLba)
        {
            return SenseCode.InvalidAddressForWrite;
        }

        var pack = new byte[CdTextPacks.PackBytes];
        for (int offset = 0; offset < data.Length; offset += CdTextLeadIn.SymbolsPerPack)
        {
            if (!CdTextLeadIn.TryFromSymbols(data.Slice(offset, CdTextLeadIn.SymbolsPerPack), pack) || !CdTextPacks.CrcMatches(pack))
            {
                return SenseCode.InvalidFieldInParameterList;
            }
        }

        return null;
    }

    /// <summary>Records lead-in blocks already checked by <see cref="CheckLeadInWrite"/>.</summary>
    internal void WriteLeadIn(long lba, ReadOnlySpan<byte> data)
    {
        for (int offset = 0; offset < data.Length; offset += CdTextLeadIn.SymbolsPerPack)
        {
            var pack = new byte[CdTextPacks.PackBytes];
            CdTextLeadIn.TryFromSymbols(data.Slice(offset, CdTextLeadIn.SymbolsPerPack), pack);
            if (_leadInPackKeys.Add(Convert.ToHexString(pack)))
            {
                _leadInPacks.Add(pack);
            }
        }

        _cueNext = lba + (data.Length / CdTextLeadIn.BlockBytes);
    }

    /// <summary>Where a session-at-once recording's first WRITE goes: the lead-in start with CD-TEXT, else the cue sheet's first position.</summary>
    private static long FirstWriteOf(CueSheetPlan plan) => plan.CdTextInLeadIn ? AtipLeadInStartLba : plan.FirstLba;

    /// <summary>The session is complete: its lead-in's packs become the disc's CD-TEXT.</summary>
    private void KeepLeadInCdText()
    {
        _cdText = [.. _leadInPacks.SelectMany(p => p)];
        _leadInPacks.Clear();
        _leadInPackKeys.Clear();
    }

    private void ForgetCdText()
    {
        _cdText = [];
        _leadInPacks.Clear();
        _leadInPackKeys.Clear();
    }
}
