using System.Buffers.Binary;
using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>FORMAT UNIT, READ FORMAT CAPACITIES, and the DVD+RW background format.</summary>
public sealed partial class SimulatedDrive
{
    /// <summary>BD-RE formatted without spare areas (31h) holds the whole user zone, as a BD-R does.</summary>
    private const long BdReWithoutSpareBlocks = 12_219_392;

    private BackgroundFormat? _backgroundFormat;

    /// <summary>
    /// FORMAT UNIT (MMC-6; CDB: byte 1: reserved (7-5), FmtData (4) = 1, CmpList (3), Format
    /// Code (2-0) = 001b; bytes 2-4 zero). The parameter list (MMC-6 table "Format List Header"
    /// and "Format Descriptor"): byte 0 reserved; byte 1: Immed (1), other bits 0; bytes 2-3
    /// FORMAT DESCRIPTOR LENGTH = 8; then Number of Blocks (4-7), Format Type (byte 8 bits 7-2),
    /// Format Subtype (1-0), Type Dependent Parameter (9-11). A list that is not exactly 12 bytes
    /// is 5/1A/00; a header or descriptor the loaded medium does not allow is 5/26/00 (see
    /// <see cref="PlanFormat"/>). The medium changes when the format ends; meanwhile the drive
    /// answers 2/04/04 with progress. DVD+RW basic format (26h) only has a short foreground part
    /// and then formats in the background while the disc is already writable.
    /// </summary>
    private async ValueTask<ScsiResult> FormatUnitAsync(ReadOnlyMemory<byte> cdbMemory, ReadOnlyMemory<byte> listMemory, CancellationToken cancellationToken)
    {
        var cdb = cdbMemory.Span;
        if ((cdb[1] & 0xE0) != 0 || (cdb[1] & 0x10) == 0 || (cdb[1] & 0x07) != 0b001 || Cdb.AnySet(cdb, 2, 4))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        var list = listMemory.Span;
        if (list.Length != 12)
        {
            return SenseCode.ParameterListLengthError.ToResult();
        }

        if (list[0] != 0 || (list[1] & ~0x02) != 0 || Cdb.UInt16(list, 2) != 8)
        {
            return SenseCode.InvalidFieldInParameterList.ToResult();
        }

        bool immediate = (list[1] & 0x02) != 0;
        var request = new FormatRequest(
            Cdb.UInt32(list, 4), (FormatType)(list[8] >> 2), list[8] & 0x03, (uint)((list[9] << 16) | (list[10] << 8) | list[11]));
        LongOperation? operation;
        lock (_sync)
        {
            if (NotReady() is { } notReady)
            {
                return notReady;
            }

            var medium = _disc!;
            if (PlanFormat(medium, request) is not { } plan)
            {
                return SenseCode.InvalidFieldInParameterList.ToResult();
            }

            if (plan.Restart)
            {
                medium.SetBackgroundFormat(FormatState.BackgroundFormatInProgress);
                _backgroundFormat = new BackgroundFormat(medium, _clock.GetTimestamp(), _longOperations.OnClock(FullMediumTime(medium)));
                QueueMediaEvent(MediaEventCode.BackgroundFormatRestarted);
                return ScsiResult.Good();
            }

            // The background part starts when the foreground part ends, whenever the drive notices.
            long foregroundEnd = _clock.GetTimestamp() + (long)(_longOperations.OnClock(plan.Foreground).TotalSeconds * _clock.TimestampFrequency);
            void Complete()
            {
                bool background = plan.Background > TimeSpan.Zero;
                medium.CompleteFormat(plan.Profile, plan.Capacity, background ? FormatState.BackgroundFormatInProgress : FormatState.Usable);
                _backgroundFormat = background ? new BackgroundFormat(medium, foregroundEnd, _longOperations.OnClock(plan.Background)) : null;
                CompleteBackgroundFormatIfDue();
            }

            operation = _longOperations.Begin("format", DrivePhase.Formatting, SenseCode.FormatInProgress, plan.Foreground, Complete);
            if (operation is null || immediate)
            {
                return ScsiResult.Good();
            }
        }

        return await AwaitLongOperationAsync(operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// READ FORMAT CAPACITIES (MMC-6; CDB: bytes 1-6 reserved, bytes 7-8 ALLOCATION LENGTH).
    /// Response (MMC-6 tables "Capacity List Header", "Current/Maximum Capacity Descriptor",
    /// "Formattable Capacity Descriptor"): bytes 0-2 reserved, byte 3 CAPACITY LIST LENGTH; the
    /// current/maximum descriptor: Number of Blocks (0-3), Descriptor Type (byte 4 bits 1-0: 01b
    /// unformatted or blank, 10b formatted, 11b no medium), Block Length (5-7) = 2048; then one
    /// 8-byte descriptor per format the medium offers: Number of Blocks, Format Type (byte 4 bits
    /// 7-2), Type Dependent Parameter (5-7). Answers without a medium (descriptor type 11b).
    /// </summary>
    private ScsiResult ReadFormatCapacities(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        if (Cdb.AnySet(cdb, 1, 6))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_sync)
        {
            if (NotReady(needsMedium: false) is { } busy)
            {
                return busy;
            }

            var offered = _disc is null ? [] : OfferedFormats(_disc);
            var response = new byte[4 + (8 * (1 + offered.Count))];
            response[3] = (byte)(response.Length - 4);
            var (blocks, type) = _disc switch
            {
                null => (0L, CapacityDescriptorType.NoMedia),
                { Formatting: FormatState.Unformatted } medium => (medium.CapacityBlocks, CapacityDescriptorType.Unformatted),
                { IsOverwritable: true } medium => (medium.CapacityBlocks, CapacityDescriptorType.Formatted),
                { Status: DiscStatus.Empty } medium => (medium.CapacityBlocks, CapacityDescriptorType.Unformatted),
                var medium => ((medium.LastRecordedAddress ?? -1) + 1, CapacityDescriptorType.Formatted),
            };
            WriteCapacityDescriptor(response.AsSpan(4), (uint)blocks, (byte)type, IMediaStore.BlockSize);
            for (int i = 0; i < offered.Count; i++)
            {
                var format = offered[i];
                WriteCapacityDescriptor(response.AsSpan(12 + (8 * i)), format.Blocks, (byte)((byte)format.Type << 2), format.TypeDependentParameter);
            }

            return Respond(response, Cdb.UInt16(cdb, 7), data);
        }
    }

    /// <summary>CLOSE 000b on a DVD+RW formatting in the background: the format stops where it is.</summary>
    private SenseCode? StopBackgroundFormat(SimulatedDisc medium)
    {
        _backgroundFormat = null;
        medium.SetBackgroundFormat(FormatState.BackgroundFormatStopped);
        return null;
    }

    /// <summary>CLOSE 010b/011b on a DVD+RW formatting in the background: the drive completes the format.</summary>
    private SenseCode? CompleteBackgroundFormatNow(SimulatedDisc medium)
    {
        _backgroundFormat = null;
        medium.SetBackgroundFormat(FormatState.Usable);
        QueueMediaEvent(MediaEventCode.BackgroundFormatCompleted);
        return null;
    }

    /// <summary>Ends a due background format (call under the lock); a disc that left the drive keeps it stopped.</summary>
    private void CompleteBackgroundFormatIfDue()
    {
        if (_backgroundFormat is not { } running)
        {
            return;
        }

        if (!ReferenceEquals(_disc, running.Target))
        {
            _backgroundFormat = null;
            running.Target.SetBackgroundFormat(FormatState.BackgroundFormatStopped);
        }
        else if (_clock.GetElapsedTime(running.StartTimestamp) >= running.Duration)
        {
            CompleteBackgroundFormatNow(running.Target);
        }
    }

    /// <summary>Simulated time to record the whole medium at the current write speed (full format, full blank).</summary>
    private TimeSpan FullMediumTime(SimulatedDisc medium)
    {
        double bytesPerSecond = medium.Profile.OneXBytesPerSecond * _speeds.CurrentWriteSpeed(medium.Profile).SpeedX;
        return TimeSpan.FromSeconds(medium.CapacityBlocks * (double)IMediaStore.BlockSize / bytesPerSecond);
    }

    /// <summary>
    /// The formats a medium offers (what READ FORMAT CAPACITIES lists and FORMAT UNIT accepts):
    /// DVD+RW 26h; DVD-RW 10h (full) and 15h (quick), both to restricted overwrite with a
    /// 16-sector ECC block as parameter; BD-RE 00h and 30h (with spare areas) and 31h (without,
    /// larger); DVD-RAM 00h with the block length as parameter. Other media offer none.
    /// </summary>
    private static List<OfferedFormat> OfferedFormats(SimulatedDisc medium)
    {
        const uint eccBlock = 16;
        return medium.Profile.Profile switch
        {
            Profile.DvdPlusRw => [new(FormatType.DvdPlusRwBasic, (uint)medium.Profile.CapacityBlocks, 0)],
            Profile.DvdRwSequential or Profile.DvdRwRestrictedOverwrite =>
            [
                new(FormatType.RewritableFull, (uint)Profiles.Get(Profile.DvdRwRestrictedOverwrite).CapacityBlocks, eccBlock),
                new(FormatType.DvdMinusRwQuick, (uint)Profiles.Get(Profile.DvdRwRestrictedOverwrite).CapacityBlocks, eccBlock),
            ],
            Profile.BdRe =>
            [
                new(FormatType.Full, (uint)medium.Profile.CapacityBlocks, 0),
                new(FormatType.BdReWithSpareAreas, (uint)medium.Profile.CapacityBlocks, 0),
                new(FormatType.BdReWithoutSpareAreas, (uint)BdReWithoutSpareBlocks, 0),
            ],
            Profile.DvdRam => [new(FormatType.Full, (uint)medium.Profile.CapacityBlocks, IMediaStore.BlockSize)],
            _ => [],
        };
    }

    /// <summary>
    /// What a format request does, or null (5/26/00) when the medium does not offer its type, the
    /// number of blocks is neither the offered one nor FFFFFFFFh, or the type dependent parameter or
    /// subtype differ from what is defined. DVD+RW 26h: the parameter's bit 0 is Restart, valid only
    /// when a background format was stopped. BD-RE 30h subtypes: 00b quick reformat (formatted
    /// discs only), 01b no certification, 10b full certification (reads every block: twice the
    /// recording time), 11b quick certification.
    /// </summary>
    private FormatPlan? PlanFormat(SimulatedDisc medium, FormatRequest request)
    {
        var offer = OfferedFormats(medium).FirstOrDefault(f => f.Type == request.Type);
        if (offer is null || (request.Blocks != offer.Blocks && request.Blocks != FormatDescriptor.MaximumBlocks))
        {
            return null;
        }

        var quick = _options.QuickFormatDuration;
        var full = FullMediumTime(medium);
        var sameProfile = medium.Profile;
        var restrictedOverwrite = Profiles.Get(Profile.DvdRwRestrictedOverwrite);
        if (request.Type == FormatType.DvdPlusRwBasic)
        {
            bool restart = (request.TypeDependentParameter & 0x01) != 0;
            if (request.Subtype != 0 || (request.TypeDependentParameter & ~1u) != 0
                || (restart && medium.Formatting != FormatState.BackgroundFormatStopped))
            {
                return null;
            }

            return new FormatPlan(sameProfile, offer.Blocks, _options.BackgroundFormatStartDuration, full, restart);
        }

        if (request.TypeDependentParameter != offer.TypeDependentParameter
            || (request.Subtype != 0 && request.Type != FormatType.BdReWithSpareAreas))
        {
            return null;
        }

        return (request.Type, request.Subtype) switch
        {
            (FormatType.RewritableFull, _) => new FormatPlan(restrictedOverwrite, offer.Blocks, full, TimeSpan.Zero, false),
            (FormatType.DvdMinusRwQuick, _) => new FormatPlan(restrictedOverwrite, offer.Blocks, quick, TimeSpan.Zero, false),
            (FormatType.BdReWithSpareAreas, 0b00) when medium.Formatting == FormatState.Unformatted => null,
            (FormatType.BdReWithSpareAreas, 0b10) => new FormatPlan(sameProfile, offer.Blocks, full * 2, TimeSpan.Zero, false),
            (FormatType.BdReWithSpareAreas, 0b11) => new FormatPlan(sameProfile, offer.Blocks, quick * 2, TimeSpan.Zero, false),
            _ => new FormatPlan(sameProfile, offer.Blocks, quick, TimeSpan.Zero, false),
        };
    }

    private static void WriteCapacityDescriptor(Span<byte> descriptor, uint blocks, byte typeByte, uint parameter)
    {
        BinaryPrimitives.WriteUInt32BigEndian(descriptor, blocks);
        descriptor[4] = typeByte;
        descriptor[5] = (byte)(parameter >> 16);
        descriptor[6] = (byte)(parameter >> 8);
        descriptor[7] = (byte)parameter;
    }

    private sealed record FormatRequest(uint Blocks, FormatType Type, int Subtype, uint TypeDependentParameter);

    private sealed record OfferedFormat(FormatType Type, uint Blocks, uint TypeDependentParameter);

    /// <summary>The medium after the format, the foreground time (2/04/04), the background time (DVD+RW), and whether it resumes a stopped one.</summary>
    private sealed record FormatPlan(ProfileInfo Profile, long Capacity, TimeSpan Foreground, TimeSpan Background, bool Restart);

    private sealed record BackgroundFormat(SimulatedDisc Target, long StartTimestamp, TimeSpan Duration);
}
