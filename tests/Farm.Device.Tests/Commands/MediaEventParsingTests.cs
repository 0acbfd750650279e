using Farm.Device.Mmc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// GET EVENT STATUS NOTIFICATION media answers, hand-built per MMC-5 6.7 (event header and media
/// event descriptor; libburn's mmc_get_event reads the class from evt[2] &amp; 7 and the code from
/// evt[4] &amp; 0xf); no captured answer is cited.
/// </summary>
public class MediaEventParsingTests
{
    [Fact]
    public void New_media_in_a_closed_tray()
    {
        Assert.True(MediaEvent.TryParse(Bytes.Of("00 06 04 10 02 02 00 00"), out var media, out var problem), problem);

        Assert.Equal(new MediaEvent(true, MediaEventCode.NewMedia, MediaPresent: true, DoorOpen: false, NotificationClasses.Media), media);
    }

    [Fact]
    public void An_open_tray_without_media()
    {
        Assert.True(MediaEvent.TryParse(Bytes.Of("00 06 04 5E 00 01 00 00"), out var media, out _));

        Assert.Equal(MediaEventCode.NoChange, media.Code);
        Assert.False(media.MediaPresent);
        Assert.True(media.DoorOpen);
        Assert.True(media.SupportedClasses.HasFlag(NotificationClasses.DeviceBusy));
    }

    [Fact]
    public void No_event_available_is_an_answer_without_an_event()
    {
        Assert.True(MediaEvent.TryParse(Bytes.Of("00 02 80 00"), out var media, out var problem), problem);

        Assert.False(media.EventAvailable);
    }

    [Fact]
    public void Another_notification_class_is_rejected()
    {
        Assert.False(MediaEvent.TryParse(Bytes.Of("00 06 01 10 02 00 00 00"), out _, out var problem));
        Assert.Contains("class 1", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_media_event_without_its_descriptor_is_rejected()
    {
        Assert.False(MediaEvent.TryParse(Bytes.Of("00 02 04 10"), out _, out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }
}
