using Farm.Device.Sense;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>
/// A sense key with its additional sense code and qualifier (SPC-4 table 28 and annex D), as the
/// simulated drive reports it. The named values are every condition the simulator raises.
/// </summary>
public readonly record struct SenseCode(SenseKey Key, byte Asc, byte Ascq)
{
    /// <summary>2/3A/00 MEDIUM NOT PRESENT.</summary>
    public static SenseCode MediumNotPresent => new(SenseKey.NotReady, 0x3A, 0x00);

    /// <summary>2/04/08 LOGICAL UNIT NOT READY, LONG WRITE IN PROGRESS.</summary>
    public static SenseCode LongWriteInProgress => new(SenseKey.NotReady, 0x04, 0x08);

    /// <summary>2/04/04 LOGICAL UNIT NOT READY, FORMAT IN PROGRESS (FORMAT UNIT).</summary>
    public static SenseCode FormatInProgress => new(SenseKey.NotReady, 0x04, 0x04);

    /// <summary>2/04/07 LOGICAL UNIT NOT READY, OPERATION IN PROGRESS (BLANK).</summary>
    public static SenseCode OperationInProgress => new(SenseKey.NotReady, 0x04, 0x07);

    /// <summary>0/04/08 as REQUEST SENSE reports a long write in progress (SPC-4: NO SENSE with progress).</summary>
    public static SenseCode LongWriteInProgressNoSense => new(SenseKey.NoSense, 0x04, 0x08);

    /// <summary>0/00/00 NO ADDITIONAL SENSE INFORMATION.</summary>
    public static SenseCode NoSense => new(SenseKey.NoSense, 0x00, 0x00);

    /// <summary>6/28/00 NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED.</summary>
    public static SenseCode MediumMayHaveChanged => new(SenseKey.UnitAttention, 0x28, 0x00);

    /// <summary>6/29/00 POWER ON, RESET, OR BUS DEVICE RESET OCCURRED.</summary>
    public static SenseCode PowerOnOrReset => new(SenseKey.UnitAttention, 0x29, 0x00);

    /// <summary>5/20/00 INVALID COMMAND OPERATION CODE.</summary>
    public static SenseCode InvalidCommandOperationCode => new(SenseKey.IllegalRequest, 0x20, 0x00);

    /// <summary>5/24/00 INVALID FIELD IN CDB.</summary>
    public static SenseCode InvalidFieldInCdb => new(SenseKey.IllegalRequest, 0x24, 0x00);

    /// <summary>5/21/00 LOGICAL BLOCK ADDRESS OUT OF RANGE.</summary>
    public static SenseCode LogicalBlockAddressOutOfRange => new(SenseKey.IllegalRequest, 0x21, 0x00);

    /// <summary>5/21/02 INVALID ADDRESS FOR WRITE.</summary>
    public static SenseCode InvalidAddressForWrite => new(SenseKey.IllegalRequest, 0x21, 0x02);

    /// <summary>5/63/00 END OF USER AREA ENCOUNTERED ON THIS TRACK.</summary>
    public static SenseCode EndOfUserArea => new(SenseKey.IllegalRequest, 0x63, 0x00);

    /// <summary>5/1A/00 PARAMETER LIST LENGTH ERROR.</summary>
    public static SenseCode ParameterListLengthError => new(SenseKey.IllegalRequest, 0x1A, 0x00);

    /// <summary>5/26/00 INVALID FIELD IN PARAMETER LIST.</summary>
    public static SenseCode InvalidFieldInParameterList => new(SenseKey.IllegalRequest, 0x26, 0x00);

    /// <summary>5/39/00 SAVING PARAMETERS NOT SUPPORTED.</summary>
    public static SenseCode SavingParametersNotSupported => new(SenseKey.IllegalRequest, 0x39, 0x00);

    /// <summary>5/30/10 MEDIUM NOT FORMATTED (SPC-4 Annex D): WRITE or READ on a fresh DVD+RW / BD-RE.</summary>
    public static SenseCode MediumNotFormatted => new(SenseKey.IllegalRequest, 0x30, 0x10);

    /// <summary>5/64/00 ILLEGAL MODE FOR THIS TRACK: the write type of page 05h does not fit the medium.</summary>
    public static SenseCode IllegalModeForThisTrack => new(SenseKey.IllegalRequest, 0x64, 0x00);

    /// <summary>5/72/04 EMPTY OR PARTIALLY WRITTEN RESERVED TRACK.</summary>
    public static SenseCode EmptyOrPartiallyWrittenReservedTrack => new(SenseKey.IllegalRequest, 0x72, 0x04);

    /// <summary>5/72/05 NO MORE TRACK RESERVATIONS ALLOWED.</summary>
    public static SenseCode NoMoreTrackReservations => new(SenseKey.IllegalRequest, 0x72, 0x05);

    /// <summary>5/2C/00 COMMAND SEQUENCE ERROR.</summary>
    public static SenseCode CommandSequenceError => new(SenseKey.IllegalRequest, 0x2C, 0x00);

    /// <summary>5/53/02 MEDIUM REMOVAL PREVENTED.</summary>
    public static SenseCode MediumRemovalPrevented => new(SenseKey.IllegalRequest, 0x53, 0x02);

    /// <summary>5/72/03 SESSION FIXATION ERROR - INCOMPLETE TRACK IN SESSION.</summary>
    public static SenseCode SessionFixationIncompleteTrack => new(SenseKey.IllegalRequest, 0x72, 0x03);

    /// <summary>3/0C/09 WRITE ERROR - LOSS OF STREAMING.</summary>
    public static SenseCode LossOfStreaming => new(SenseKey.MediumError, 0x0C, 0x09);

    /// <summary>3/0C/00 WRITE ERROR (a disc ruined by an earlier loss of streaming).</summary>
    public static SenseCode WriteError => new(SenseKey.MediumError, 0x0C, 0x00);

    /// <summary>The fixed-format sense bytes (SenseBuilder.Fixed), optionally with a progress indication.</summary>
    public byte[] ToSense(ushort? progress = null) => SenseBuilder.Fixed(Key, Asc, Ascq, progress);

    /// <summary>CHECK CONDITION carrying this sense.</summary>
    public ScsiResult ToResult(ushort? progress = null) => ScsiResult.CheckCondition(ToSense(progress));

    public override string ToString() => $"{(byte)Key:X1}/{Asc:X2}/{Ascq:X2}";
}
