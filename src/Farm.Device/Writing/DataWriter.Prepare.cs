using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Sense;

namespace Farm.Device.Writing;

public sealed partial class DataWriter
{
    /// <summary>
    /// Steps 1 and 3: the write parameters page where the profile needs it, a format if the
    /// rewritable medium is unformatted, power calibration, then speed selection.
    /// </summary>
    private async Task<SpeedSelectionResult> PrepareAsync(Target target, Action<WriteAction> report, CancellationToken cancellationToken)
    {
        report(WriteAction.InitializingHardware);
        if (WriteParametersFor(target.Info.Profile, _options) is { } wanted)
        {
            await SelectWriteParametersAsync(wanted, cancellationToken).ConfigureAwait(false);
        }

        if (!target.Info.SequentialOnly && await NeedsFormatAsync(cancellationToken).ConfigureAwait(false))
        {
            report(WriteAction.FormattingMedia);
            await new Eraser(_drive, _logger).FormatAsync(target.Info, cancellationToken).ConfigureAwait(false);
        }

        if (_options.PowerCalibration)
        {
            report(WriteAction.CalibratingPower);
            try
            {
                await _drive.SendOpcAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DeviceException refused) when (refused.Error.Sense is { Key: SenseKey.IllegalRequest })
            {
                // Optional in MMC: a drive that refuses SEND OPC calibrates on its own at the first WRITE.
                WritingLog.Unsupported(_logger, _drive.Name, "SEND OPC INFORMATION", "it calibrates on its own");
            }
        }

        var endLba = (uint)Math.Max(0, target.StartLba + target.FreeBlocks - 1);
        return await SpeedSelection.ApplyAsync(_drive, target.Info, _options.WriteSpeed, endLba, _logger, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The write parameters page 05h a profile needs, or null. CD-R/RW: track at once, data mode 1
    /// uninterrupted; DVD-R/-RW sequential and DVD-R DL: incremental with a 16-block link (one ECC
    /// block). Multi-session 11b keeps the disc appendable unless the write finalises. DVD+R, BD-R
    /// and rewritable media ignore the page. BUFE as the options say.
    /// </summary>
    internal static WriteParameters? WriteParametersFor(Profile profile, DataWriterOptions options)
    {
        var session = options.ForceMediaToBeClosed ? MultiSession.NoNextSession : MultiSession.NextSessionAllowed;
        return profile switch
        {
            Profile.CdR or Profile.CdRw => WriteParameters.DataDefaults with
            {
                WriteType = WriteType.TrackAtOnce,
                TrackMode = TrackMode.DataUninterrupted,
                DataBlockType = DataBlockType.Mode1,
                MultiSession = session,
                BufferUnderrunFree = options.BufferUnderrunFree,
            },
            Profile.DvdRSequential or Profile.DvdRwSequential or Profile.DvdRDualLayerSequential => WriteParameters.DataDefaults with
            {
                WriteType = WriteType.Incremental,
                TrackMode = TrackMode.DataIncremental,
                DataBlockType = DataBlockType.Mode1,
                LinkSizeValid = true,
                LinkSize = 16,
                MultiSession = session,
                BufferUnderrunFree = options.BufferUnderrunFree,
            },
            _ => null,
        };
    }

    /// <summary>MODE SENSE the page (to keep fields the farm does not set), change the farm's fields, MODE SELECT it.</summary>
    private async Task SelectWriteParametersAsync(WriteParameters wanted, CancellationToken cancellationToken)
    {
        WriteParameters current;
        try
        {
            current = await _drive.ModeSenseWriteParametersAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DeviceException refused) when (DriveSupport.IsUnsupported(refused))
        {
            // Only a drive that cannot write CD/DVD-R at all lacks MODE SENSE(10); the simulator
            // does until it models the page. Going on keeps its defaults (TAO / incremental).
            WritingLog.Unsupported(_logger, _drive.Name, "MODE SENSE(10)", "writing with the drive's default write parameters");
            return;
        }

        var merged = current with
        {
            WriteType = wanted.WriteType,
            TrackMode = wanted.TrackMode,
            DataBlockType = wanted.DataBlockType,
            LinkSizeValid = wanted.LinkSizeValid,
            LinkSize = wanted.LinkSize,
            MultiSession = wanted.MultiSession,
            BufferUnderrunFree = wanted.BufferUnderrunFree,
            TestWrite = false,
            Savable = false,
        };
        await _drive.ModeSelectWriteParametersAsync(merged, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when READ FORMAT CAPACITIES reports an unformatted medium (a new DVD+RW or BD-RE).</summary>
    private async Task<bool> NeedsFormatAsync(CancellationToken cancellationToken)
    {
        try
        {
            var capacities = await _drive.ReadFormatCapacitiesAsync(cancellationToken).ConfigureAwait(false);
            return capacities.DescriptorType == CapacityDescriptorType.Unformatted;
        }
        catch (DeviceException refused) when (DriveSupport.IsUnsupported(refused))
        {
            return false;
        }
    }
}
