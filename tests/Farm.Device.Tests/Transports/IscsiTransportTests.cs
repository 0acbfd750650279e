using System.Runtime.InteropServices;
using Farm.Device.Transports;
using Farm.Device.Transports.Iscsi;

namespace Farm.Device.Tests.Transports;

public sealed class IscsiTransportTests
{
    [Fact]
    public void A_full_url_is_split_into_portal_target_and_lun()
    {
        var url = IscsiUrl.Parse("iscsi://127.0.0.1:3270/iqn.2025-01.org.burnfarm:dvd/1");
        Assert.Equal(("127.0.0.1", 3270, "iqn.2025-01.org.burnfarm:dvd", 1), (url.Host, url.Port, url.Target, url.Lun));
        Assert.Equal("127.0.0.1:3270", url.Portal);
    }

    [Fact]
    public void Defaults_escapes_credentials_and_ipv6_are_understood()
    {
        var url = IscsiUrl.Parse("iscsi://alice%secret@[fe80::1]/iqn.2025-01.x%3Ay/0");
        Assert.Equal(("fe80::1", 3260, "iqn.2025-01.x:y", 0), (url.Host, url.Port, url.Target, url.Lun));
        Assert.Equal(("alice", "secret"), (url.User, url.Password));
        Assert.Equal("[fe80::1]:3260", url.Portal);
        Assert.DoesNotContain("secret", url.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://host/iqn/1")]
    [InlineData("iscsi://host/iqn")]
    [InlineData("iscsi://host:99999/iqn/1")]
    [InlineData("iscsi://host/iqn/lun")]
    [InlineData("iscsi:///iqn/1")]
    public void Malformed_urls_are_refused_with_the_expected_form(string text)
    {
        var failure = Assert.Throws<ArgumentException>(() => IscsiUrl.Parse(text));
        Assert.Contains("iscsi://host[:port]/iqn.target-name/lun", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>Offsets of struct scsi_task, scsi-lowlevel.h (libiscsi 1.19), measured with offsetof() on x86-64.</summary>
    [Theory]
    [InlineData(nameof(ScsiTaskHead.Status), 0)]
    [InlineData(nameof(ScsiTaskHead.CdbSize), 4)]
    [InlineData(nameof(ScsiTaskHead.XferDir), 8)]
    [InlineData(nameof(ScsiTaskHead.ExpXferLen), 12)]
    [InlineData(nameof(ScsiTaskHead.Cdb), 16)]
    [InlineData(nameof(ScsiTaskHead.ResidualStatus), 32)]
    [InlineData(nameof(ScsiTaskHead.Residual), 40)]
    [InlineData(nameof(ScsiTaskHead.DecodedSense), 48)]
    [InlineData(nameof(ScsiTaskHead.DataInSize), 64)]
    [InlineData(nameof(ScsiTaskHead.DataInData), 72)]
    public void Scsi_task_fields_sit_at_libiscsis_offsets(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<ScsiTaskHead>(field));

    [Fact]
    public void Iscsi_data_is_a_size_and_a_pointer() => Assert.Equal(16, Marshal.SizeOf<IscsiData>());

    [Fact]
    public void Raw_sense_is_bounded_by_the_segment_whatever_its_length_field_says()
    {
        byte[] segment = [0x00, 0x12, 0x70, 0x00, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0x00, 0, 0, 0, 0];
        Assert.Equal(18, IscsiTransport.RawSense(segment).Length);
        Assert.Equal(8, IscsiTransport.RawSense(segment.AsSpan(0, 10)).Length);
        Assert.Empty(IscsiTransport.RawSense(segment.AsSpan(0, 1)));
    }

    [Fact]
    public void A_missing_library_message_names_the_debian_package() =>
        Assert.Contains("apt-get install libiscsi7", IscsiLibrary.MissingLibraryMessage("libiscsi.so.7"), StringComparison.Ordinal);

    [Fact]
    public void Connecting_to_a_portal_nobody_listens_on_fails_as_device_gone()
    {
        var failure = Assert.Throws<ScsiTransportException>(() => IscsiTransport.Connect("iscsi://127.0.0.1:9/iqn.2025-01.org.burnfarm:nobody/1", loginTimeout: TimeSpan.FromSeconds(3)));
        Assert.Equal(TransportFailure.DeviceGone, failure.Failure);
        Assert.Contains("cannot log in to the target at 127.0.0.1:9", failure.Message, StringComparison.Ordinal);
    }
}
