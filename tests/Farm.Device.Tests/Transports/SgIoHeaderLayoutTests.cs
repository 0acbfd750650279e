using System.Runtime.InteropServices;
using Farm.Device.Transports.Linux;

namespace Farm.Device.Tests.Transports;

/// <summary>
/// The offsets of struct sg_io_hdr as the C compiler lays it out for LP64 (x86-64, arm64) from the
/// kernel's include/scsi/sg.h (also glibc's /usr/include/scsi/sg.h): checked on this machine with
/// offsetof() against the system header. A field off by one would send garbage to the kernel.
/// </summary>
public sealed class SgIoHeaderLayoutTests
{
    [Fact]
    public void The_header_is_88_bytes_on_a_64_bit_process()
    {
        Assert.Equal(8, IntPtr.Size);
        Assert.Equal(88, Marshal.SizeOf<SgIoHeader>());
    }

    [Theory]
    [InlineData(nameof(SgIoHeader.InterfaceId), 0)]
    [InlineData(nameof(SgIoHeader.DxferDirection), 4)]
    [InlineData(nameof(SgIoHeader.CmdLen), 8)]
    [InlineData(nameof(SgIoHeader.MxSbLen), 9)]
    [InlineData(nameof(SgIoHeader.IovecCount), 10)]
    [InlineData(nameof(SgIoHeader.DxferLen), 12)]
    [InlineData(nameof(SgIoHeader.Dxferp), 16)]
    [InlineData(nameof(SgIoHeader.Cmdp), 24)]
    [InlineData(nameof(SgIoHeader.Sbp), 32)]
    [InlineData(nameof(SgIoHeader.Timeout), 40)]
    [InlineData(nameof(SgIoHeader.Flags), 44)]
    [InlineData(nameof(SgIoHeader.PackId), 48)]
    [InlineData(nameof(SgIoHeader.UsrPtr), 56)]
    [InlineData(nameof(SgIoHeader.Status), 64)]
    [InlineData(nameof(SgIoHeader.MaskedStatus), 65)]
    [InlineData(nameof(SgIoHeader.MsgStatus), 66)]
    [InlineData(nameof(SgIoHeader.SbLenWr), 67)]
    [InlineData(nameof(SgIoHeader.HostStatus), 68)]
    [InlineData(nameof(SgIoHeader.DriverStatus), 70)]
    [InlineData(nameof(SgIoHeader.Resid), 72)]
    [InlineData(nameof(SgIoHeader.Duration), 76)]
    [InlineData(nameof(SgIoHeader.Info), 80)]
    public void Each_field_sits_at_the_kernel_offset(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<SgIoHeader>(field));

    [Fact]
    public void Directions_and_request_are_the_sg_h_values()
    {
        Assert.Equal(0x2285u, SgIo.Request);
        Assert.Equal('S', SgIo.InterfaceId);
        Assert.Equal(-1, SgIo.DirectionOf(Farm.Device.Transports.DataDirection.None));
        Assert.Equal(-2, SgIo.DirectionOf(Farm.Device.Transports.DataDirection.ToDevice));
        Assert.Equal(-3, SgIo.DirectionOf(Farm.Device.Transports.DataDirection.FromDevice));
    }
}
