using System.Runtime.InteropServices;
using Farm.Device.Transports;
using Farm.Device.Transports.Windows;

namespace Farm.Device.Tests.Transports;

/// <summary>
/// The SPTI structures against the Windows DDK headers (ntddscsi.h, ntddstor.h, ntddcdrm.h) for
/// x64, computed with C's natural alignment (see the comment on ScsiPassThroughDirect). These
/// run on every OS: the layout is a property of the declarations, not of Windows.
/// </summary>
public sealed class SptiLayoutTests
{
    [Fact]
    public void Scsi_pass_through_direct_is_56_bytes_with_the_data_buffer_at_24()
    {
        Assert.Equal(8, IntPtr.Size);
        Assert.Equal(56, Marshal.SizeOf<ScsiPassThroughDirect>());
    }

    [Theory]
    [InlineData(nameof(ScsiPassThroughDirect.Length), 0)]
    [InlineData(nameof(ScsiPassThroughDirect.ScsiStatus), 2)]
    [InlineData(nameof(ScsiPassThroughDirect.PathId), 3)]
    [InlineData(nameof(ScsiPassThroughDirect.TargetId), 4)]
    [InlineData(nameof(ScsiPassThroughDirect.Lun), 5)]
    [InlineData(nameof(ScsiPassThroughDirect.CdbLength), 6)]
    [InlineData(nameof(ScsiPassThroughDirect.SenseInfoLength), 7)]
    [InlineData(nameof(ScsiPassThroughDirect.DataIn), 8)]
    [InlineData(nameof(ScsiPassThroughDirect.DataTransferLength), 12)]
    [InlineData(nameof(ScsiPassThroughDirect.TimeOutValue), 16)]
    [InlineData(nameof(ScsiPassThroughDirect.DataBuffer), 24)]
    [InlineData(nameof(ScsiPassThroughDirect.SenseInfoOffset), 32)]
    [InlineData(nameof(ScsiPassThroughDirect.Cdb), 36)]
    public void Pass_through_fields_sit_at_the_ddk_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<ScsiPassThroughDirect>(field));

    [Fact]
    public void The_sense_buffer_follows_the_structure_and_a_filler()
    {
        Assert.Equal(60, (int)Marshal.OffsetOf<ScsiPassThroughDirectWithSense>(nameof(ScsiPassThroughDirectWithSense.Sense)));
        Assert.Equal(96, Marshal.SizeOf<ScsiPassThroughDirectWithSense>());
    }

    [Fact]
    public void Storage_and_cdrom_structures_have_the_header_sizes()
    {
        Assert.Equal(12, Marshal.SizeOf<StoragePropertyQuery>());
        Assert.Equal(32, Marshal.SizeOf<StorageAdapterDescriptor>());
        Assert.Equal(16, (int)Marshal.OffsetOf<StorageAdapterDescriptor>(nameof(StorageAdapterDescriptor.AlignmentMask)));
        Assert.Equal(8, (int)Marshal.OffsetOf<StorageAdapterDescriptor>(nameof(StorageAdapterDescriptor.MaximumTransferLength)));
        Assert.Equal(26, (int)Marshal.OffsetOf<StorageAdapterDescriptor>(nameof(StorageAdapterDescriptor.BusMajorVersion)));
        Assert.Equal(72, Marshal.SizeOf<CdromExclusiveLock>());
        Assert.Equal(8, (int)Marshal.OffsetOf<CdromExclusiveLock>(nameof(CdromExclusiveLock.CallerName)));
    }

    [Fact]
    public void Control_codes_are_the_published_values()
    {
        Assert.Equal(0x4D014u, WindowsIoctl.ScsiPassThroughDirect);
        Assert.Equal(0x2D1400u, WindowsIoctl.StorageQueryProperty);
        Assert.Equal(0x2C05Cu, WindowsIoctl.CdromExclusiveAccess);
    }

    [Theory]
    [InlineData(65536u, 3u, 65536, 8)]
    [InlineData(131072u, 0x1FFu, 131072, 512)]
    [InlineData(0u, 0u, SptiAdapterLimits.FallbackMaxTransferBytes, 8)]
    [InlineData(70000u, 1u, 69632, 8)]
    public void Adapter_limits_become_whole_sectors_and_a_power_of_two_alignment(uint max, uint mask, int expectedMax, int expectedAlignment) =>
        Assert.Equal((expectedMax, expectedAlignment), SptiAdapterLimits.From(max, mask));

    [Theory]
    [InlineData("BurnFarm", true)]
    [InlineData("BurnFarm node-3: drive 2; v1.0_beta", true)]
    [InlineData("", false)]
    [InlineData("Burn/Farm", false)]
    [InlineData("Ünïcode", false)]
    public void Exclusive_lock_caller_names_follow_the_ddk_rule(string name, bool valid) =>
        Assert.Equal(valid, SptiErrors.IsValidCallerName(name, out _));

    [Fact]
    public void A_caller_name_of_64_characters_leaves_no_room_for_the_nul() =>
        Assert.False(SptiErrors.IsValidCallerName(new string('a', 64), out _));

    [Fact]
    public void Win32_errors_become_clear_transport_failures()
    {
        var denied = SptiErrors.ForOpen(Win32Errors.ErrorAccessDenied, @"\\.\CdRom0");
        Assert.Equal(TransportFailure.AccessDenied, denied.Failure);
        Assert.Contains("administrator", denied.Message, StringComparison.Ordinal);
        Assert.Equal(TransportFailure.DeviceGone, SptiErrors.ForOpen(Win32Errors.ErrorFileNotFound, @"\\.\CdRom9").Failure);
        Assert.Equal(TransportFailure.Timeout, SptiErrors.ForIoctl(Win32Errors.ErrorSemTimeout, @"\\.\CdRom0", "WRITE(10)").Failure);
    }
}
