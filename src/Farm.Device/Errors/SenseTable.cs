using System.Collections.Immutable;
using Farm.Device.Sense;
using static Farm.Device.Errors.ImapiErrors;
using static Farm.Device.Sense.SenseKey;
using static Farm.Messages.Disposition;

namespace Farm.Device.Errors;

/// <summary>
/// Sense key / ASC / ASCQ -> IMAPI code and disposition, as data. ASC/ASCQ meanings are those of
/// SPC-4 Annex D (table D.1) and of MMC-6 Annex F (the sense each MMC command reports); sense key
/// meanings are SPC-4 table 28. A null ASC or ASCQ matches anything; the most specific row wins.
/// </summary>
/// <remarks>
/// Choices where IMAPI2 documents no SCSI mapping (the seeds give none at all):
/// <list type="bullet">
/// <item>Upside down: a drive cannot tell a disc lying label-down from an unreadable one. What it
/// reports is "cannot read medium - unknown format" (ASC 30h ASCQ 01h), normally with NOT READY
/// once spin-up fails; in a tower, discs come from the robot, so an unknown format is far more
/// often a disc loaded the wrong way up than a foreign format. 2/30/01 is therefore
/// E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN; either way an operator must look at the disc.</item>
/// <item>Speed mismatch: a drive whose firmware has no write strategy for a medium's speed class
/// refuses the WRITE / SET STREAMING with "cannot write medium - incompatible format" (5/30/05),
/// so 5/30/05 is E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH (the wrong media stock is in the bin).
/// S_IMAPI_SPEEDADJUSTED is "rounded parameter" (1/37/00), which a drive reports when it rounds a
/// SET CD SPEED / SET STREAMING / MODE SELECT value; S_IMAPI_ROTATIONADJUSTED and
/// S_IMAPI_BOTHADJUSTED have no sense: the writer compares what it asked with GET PERFORMANCE.</item>
/// <item>6/28/00 and 6/29/xx say FailDisc: mid-write they mean the disc is lost (DESIGN 5). An
/// idle drive also reports them, once, after a tray change or a reset; only the caller knows
/// whether a write was under way, so the caller retries the command when idle.</item>
/// <item>Invalid-request rows (5/20, 5/21, 5/24, 5/2C) are FailDisc: the write cannot go on, and
/// the copy is retried on another drive; a drive that keeps failing goes to maintenance through
/// the scheduler's failure count, not through one answer.</item>
/// <item>Where an IMAPI v1 code of seed 004 says exactly what happened (disc full, cannot read the
/// table of contents, power calibration, closing, medium changed), the row uses it; otherwise
/// IMAPI2's catch-all E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE.</item>
/// </list>
/// </remarks>
public static class SenseTable
{
    private const string SenseKeys = "SPC-4 table 28";
    private const string AnnexD = "SPC-4 Annex D";
    private const string AnnexF = "MMC-6 Annex F";

    public static readonly ImmutableArray<SenseTableRow> Rows =
    [
        // NO SENSE and RECOVERED ERROR: the command did what was asked.
        new(NoSense, null, null, Ok, None, "no error", SenseKeys),
        new(RecoveredError, null, null, Ok, None, "the drive recovered from an error by itself", SenseKeys),
        new(RecoveredError, 0x37, 0x00, SpeedAdjusted, None, "the drive rounded a parameter (the speed) to one it supports", AnnexF + " (SET CD SPEED, SET STREAMING)"),

        // NOT READY.
        new(NotReady, 0x04, null, RecorderMediaBecomingReady, WaitAndRetry, "the drive is not ready yet", AnnexD),
        new(NotReady, 0x04, 0x00, RecorderMediaBecomingReady, WaitAndRetry, "the drive is not ready (cause not reported)", AnnexD),
        new(NotReady, 0x04, 0x01, RecorderMediaBecomingReady, WaitAndRetry, "the drive is becoming ready", AnnexF),
        new(NotReady, 0x04, 0x03, RecorderMediaBecomingReady, NeedsOperator, "the drive needs manual intervention", AnnexD),
        new(NotReady, 0x04, 0x04, RecorderMediaFormatInProgress, WaitAndRetry, "a format is in progress", AnnexF + " (FORMAT UNIT, Immed)"),
        new(NotReady, 0x04, 0x07, RecorderMediaFormatInProgress, WaitAndRetry, "an operation (format, blank) is in progress", AnnexF + " (BLANK, Immed)"),
        new(NotReady, 0x04, 0x08, RecorderMediaBusy, WaitAndRetry, "a long write is in progress (buffer full or closing)", AnnexF + " (WRITE, SYNCHRONIZE CACHE, CLOSE TRACK/SESSION)"),
        new(NotReady, 0x04, 0x09, RecorderMediaBusy, WaitAndRetry, "a self-test is in progress", AnnexD),
        new(NotReady, 0x3E, 0x00, RecorderMediaBecomingReady, WaitAndRetry, "the drive has not configured itself yet", AnnexD),
        new(NotReady, 0x30, null, RecorderMediaIncompatible, NeedsOperator, "the medium is incompatible with the drive", AnnexF),
        new(NotReady, 0x30, 0x01, RecorderMediaUpsideDown, NeedsOperator, "the medium cannot be read (unknown format): most likely it is upside down", AnnexD + "; upside-down choice, see remarks"),
        new(NotReady, 0x3A, null, RecorderMediaNoMedia, NeedsOperator, "there is no media in the device", AnnexF),
        new(NotReady, 0x57, 0x00, V1DiscInfo, FailDisc, "the drive cannot read the disc's table of contents", AnnexF),

        // MEDIUM ERROR: this disc is bad.
        new(MediumError, null, null, UnexpectedResponseFromDevice, FailDisc, "the medium failed", SenseKeys),
        new(MediumError, 0x0C, null, UnexpectedResponseFromDevice, FailDisc, "the drive failed to write the medium", AnnexF + " (WRITE)"),
        new(MediumError, 0x0C, 0x09, LossOfStreaming, FailDisc, "the drive ran out of data while writing (loss of streaming)", AnnexF + " (WRITE)"),
        new(MediumError, 0x0C, 0x0A, LossOfStreaming, FailDisc, "the drive ran out of data and padded the track", AnnexF + " (WRITE)"),
        new(MediumError, 0x11, null, UnexpectedResponseFromDevice, FailDisc, "the medium cannot be read back (unrecovered read error)", AnnexF + " (READ)"),
        new(MediumError, 0x31, null, UnexpectedResponseFromDevice, FailDisc, "the medium's format is corrupted", AnnexF + " (FORMAT UNIT)"),
        new(MediumError, 0x72, null, V1InitializeEndWrite, FailDisc, "the drive failed to close the session", AnnexF + " (CLOSE TRACK/SESSION)"),
        new(MediumError, 0x73, null, V1InitializeWrite, FailDisc, "power calibration or program memory area failed", AnnexF + " (SEND OPC INFORMATION, WRITE)"),
        new(MediumError, 0x73, 0x03, V1InitializeWrite, FailDisc, "power calibration (OPC) failed", AnnexF + " (SEND OPC INFORMATION)"),

        // HARDWARE ERROR: the drive itself is suspect.
        new(HardwareError, null, null, UnexpectedResponseFromDevice, DriveToMaintenance, "the drive reported a hardware failure", SenseKeys),
        new(HardwareError, 0x08, null, UnexpectedResponseFromDevice, DriveToMaintenance, "the drive's internal communication failed", AnnexD),
        new(HardwareError, 0x08, 0x01, RecorderCommandTimeout, DriveToMaintenance, "the drive's internal communication timed out", AnnexD),
        new(HardwareError, 0x09, null, UnexpectedResponseFromDevice, DriveToMaintenance, "the drive's tracking, focus or spindle servo failed", AnnexF),
        new(HardwareError, 0x44, 0x00, UnexpectedResponseFromDevice, DriveToMaintenance, "the drive reported an internal failure", AnnexD),

        // ILLEGAL REQUEST: the drive refused the command as sent.
        new(IllegalRequest, 0x1A, 0x00, RecorderInvalidModeParameters, FailDisc, "the parameter list has the wrong length", AnnexF + " (MODE SELECT)"),
        new(IllegalRequest, 0x20, 0x00, Df2DataRecorderNotSupported, FailDisc, "the drive does not support this command", AnnexD),
        new(IllegalRequest, 0x21, 0x00, UnexpectedResponseFromDevice, FailDisc, "the logical block address is out of range", AnnexF + " (WRITE, READ)"),
        new(IllegalRequest, 0x21, 0x02, UnexpectedResponseFromDevice, FailDisc, "the address is not the next writable address", AnnexF + " (WRITE)"),
        new(IllegalRequest, 0x24, 0x00, UnexpectedResponseFromDevice, FailDisc, "the drive rejected a field of the command", AnnexD),
        new(IllegalRequest, 0x26, null, RecorderInvalidModeParameters, FailDisc, "the drive rejected a field of the parameter list", AnnexF + " (MODE SELECT)"),
        new(IllegalRequest, 0x2C, 0x00, UnexpectedResponseFromDevice, FailDisc, "command sequence error (e.g. CLOSE without SYNCHRONIZE CACHE)", AnnexF + " (CLOSE TRACK/SESSION)"),
        new(IllegalRequest, 0x30, null, RecorderMediaIncompatible, NeedsOperator, "the medium is incompatible with this command", AnnexF),
        new(IllegalRequest, 0x30, 0x05, RecorderMediaSpeedMismatch, NeedsOperator, "the drive cannot write this medium (speed class not supported)", AnnexD + "; speed-mismatch choice, see remarks"),
        new(IllegalRequest, 0x63, null, V1DiscFull, FailDisc, "the end of the user area was reached: the disc is full", AnnexF + " (WRITE)"),
        new(IllegalRequest, 0x64, null, V1CannotWriteToMedia, FailDisc, "the write mode is illegal for this track", AnnexF + " (WRITE)"),
        new(IllegalRequest, 0x6F, null, RecorderMediaIncompatible, FailDisc, "a copy protection check failed", AnnexF + " (READ, REPORT KEY)"),
        new(IllegalRequest, 0x72, null, V1InitializeEndWrite, FailDisc, "the session cannot be fixated", AnnexF + " (CLOSE TRACK/SESSION, RESERVE TRACK)"),

        // UNIT ATTENTION: something changed since the last command.
        new(UnitAttention, null, null, UnexpectedResponseFromDevice, RetryCommand, "the drive reported a change of state", SenseKeys),
        new(UnitAttention, 0x28, 0x00, V1WrongDisc, FailDisc, "the medium may have changed", AnnexD + "; mid-write vs idle is the caller's, see remarks"),
        new(UnitAttention, 0x29, null, UnexpectedResponseFromDevice, FailDisc, "the drive was powered on or reset", AnnexD + "; mid-write vs idle is the caller's, see remarks"),
        new(UnitAttention, 0x2A, null, UnexpectedResponseFromDevice, RetryCommand, "the drive's parameters were changed", AnnexD),
        new(UnitAttention, 0x3F, null, UnexpectedResponseFromDevice, RetryCommand, "the drive's operating conditions changed", AnnexD),
        new(UnitAttention, 0x5A, 0x01, UnexpectedResponseFromDevice, RetryCommand, "someone pressed the eject button (removal is prevented while writing)", AnnexF + " (GET EVENT STATUS NOTIFICATION)"),

        // DATA PROTECT.
        new(DataProtect, 0x27, null, RecorderMediaWriteProtected, NeedsOperator, "the media is write protected", AnnexF),

        // BLANK CHECK, ABORTED COMMAND, VOLUME OVERFLOW, MISCOMPARE.
        new(BlankCheck, null, null, UnexpectedResponseFromDevice, FailDisc, "the drive met a blank area where data was expected", SenseKeys),
        new(AbortedCommand, null, null, UnexpectedResponseFromDevice, RetryCommand, "the drive aborted the command", SenseKeys),
        new(VolumeOverflow, null, null, V1DiscFull, FailDisc, "the medium is full", SenseKeys),
        new(Miscompare, null, null, UnexpectedResponseFromDevice, FailDisc, "the data read back differs from the source", SenseKeys),
    ];

    /// <summary>The most specific row matching the sense, or null when no row does.</summary>
    public static SenseTableRow? Lookup(SenseKey key, byte asc, byte ascq)
    {
        SenseTableRow? best = null;
        foreach (var row in Rows)
        {
            if (row.Matches(key, asc, ascq) && (best is null || row.Specificity > best.Specificity))
            {
                best = row;
            }
        }

        return best;
    }

    public static SenseTableRow? Lookup(SenseData sense) => Lookup(sense.Key, sense.Asc, sense.Ascq);
}
