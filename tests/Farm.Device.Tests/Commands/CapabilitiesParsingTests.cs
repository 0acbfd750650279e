using Farm.Device.Mmc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// MODE SENSE(10) answers for page 2Ah, hand-built per MMC-3 5.5.10 (the MM capabilities page; the
/// fields libburn's spc.c spc_sense_caps_al reads at the same offsets); no captured answer is cited.
/// </summary>
public class CapabilitiesParsingTests
{
    // A DVD writer, MMC-3 page with two write speed descriptors (page length 26h = 30 + 2 x 4).
    private const string DvdWriterAnswer =
        "00 2E 00 00 00 00 00 00"
        + "2A 26 3B 37 C0 00 29 00" // read: DVD-RAM DVD-R DVD-ROM CD-RW CD-R; write: + Test Write; BUF, multi-session; tray, eject, lock
        + "1B 90 01 00 08 00 1B 90" // max read 7056 kB/s; 256 volume levels; buffer 2048 KiB; current read 7056
        + "00 00 21 13 21 13 00 00" // max write 8467 kB/s (48x CD); current write (obsolete) 8467
        + "00 00 00 00 1B 90 00 02" // rotation control selected CLV; current write speed selected 7056; 2 descriptors
        + "00 00 21 13" // CLV, 8467 kB/s
        + "00 01 1B 90"; // CAV, 7056 kB/s

    // The MMC-1 page: 22 bytes (page length 14h), no descriptors.
    private const string Mmc1Answer =
        "00 1C 00 00 00 00 00 00"
        + "2A 14 03 03 80 00 29 00 0B 10 01 00 02 00 0B 10 00 00 05 84 05 84";

    [Fact]
    public void Reads_the_read_and_write_capabilities()
    {
        Assert.True(Capabilities.TryParse(Bytes.Of(DvdWriterAnswer), out var caps, out var problem), problem);

        Assert.True(caps.ReadsCdR && caps.ReadsCdRw && caps.ReadsDvdRom && caps.ReadsDvdR && caps.ReadsDvdRam);
        Assert.True(caps.WritesCdR && caps.WritesCdRw && caps.WritesDvdR && caps.WritesDvdRam);
        Assert.True(caps.TestWrite);
        Assert.True(caps.BufferUnderrunProtection);
        Assert.True(caps.MultiSession);
        Assert.True(caps.CanEject);
        Assert.True(caps.CanLock);
        Assert.Equal(1, caps.LoadingMechanism);
    }

    [Fact]
    public void Reads_buffer_size_and_speeds_preferring_the_mmc3_current_write_speed()
    {
        Assert.True(Capabilities.TryParse(Bytes.Of(DvdWriterAnswer), out var caps, out _));

        Assert.Equal(2048, caps.BufferSizeKiB);
        Assert.Equal(7056, caps.MaximumReadSpeedKBps);
        Assert.Equal(8467, caps.MaximumWriteSpeedKBps);
        Assert.Equal(7056, caps.CurrentWriteSpeedKBps);
    }

    [Fact]
    public void Reads_the_write_speed_descriptors_in_order()
    {
        Assert.True(Capabilities.TryParse(Bytes.Of(DvdWriterAnswer), out var caps, out _));

        Assert.Equal(
            [new CapabilityWriteSpeed(RotationControl.ConstantLinearVelocity, 8467), new CapabilityWriteSpeed(RotationControl.ConstantAngularVelocity, 7056)],
            caps.WriteSpeeds);
    }

    [Fact]
    public void An_mmc1_page_has_no_descriptors_and_the_obsolete_current_write_speed()
    {
        Assert.True(Capabilities.TryParse(Bytes.Of(Mmc1Answer), out var caps, out var problem), problem);

        Assert.Empty(caps.WriteSpeeds);
        Assert.Equal(1412, caps.CurrentWriteSpeedKBps);
        Assert.True(caps.WritesCdRw);
        Assert.False(caps.WritesDvdR);
        Assert.Equal(512, caps.BufferSizeKiB);
    }

    [Fact]
    public void More_descriptors_declared_than_the_page_holds_is_rejected()
    {
        var answer = Bytes.Of(DvdWriterAnswer);
        answer[8 + 31] = 5;

        Assert.False(Capabilities.TryParse(answer, out _, out var problem));
        Assert.Contains("declares 5 write speed descriptors", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_shorter_than_the_mmc1_page_is_rejected()
    {
        var answer = Bytes.Of(Mmc1Answer)[..20];

        Assert.False(Capabilities.TryParse(answer, out _, out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }
}
