using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>Media event code (MMC-5 6.7, media event descriptor byte 0 bits 3-0).</summary>
public enum MediaEventCode : byte
{
    NoChange = 0,
    EjectRequest = 1,
    NewMedia = 2,
    MediaRemoval = 3,
    MediaChanged = 4,
    BackgroundFormatCompleted = 5,
    BackgroundFormatRestarted = 6,
}

/// <summary>
/// GET EVENT STATUS NOTIFICATION answer for the media class (MMC-5 6.7): event header (bytes 0-1
/// event descriptor length, byte 2 bit 7 NEA and bits 2-0 the notification class, 4 = media; byte 3
/// supported classes), then the media event descriptor (byte 0 bits 3-0 event code; byte 1 bit 1
/// media present, bit 0 door or tray open; bytes 2-3 start/end slot). With NEA set the drive has
/// no event of the asked classes to report: <see cref="EventAvailable"/> is false.
/// </summary>
public sealed record MediaEvent(bool EventAvailable, MediaEventCode Code, bool MediaPresent, bool DoorOpen, NotificationClasses SupportedClasses)
{
    public const ushort Length = 8;

    private const int HeaderLength = 4;

    private const byte MediaClass = 4;

    public static bool TryParse(ReadOnlySpan<byte> data, out MediaEvent mediaEvent, out string? problem)
    {
        mediaEvent = new MediaEvent(false, MediaEventCode.NoChange, false, false, NotificationClasses.None);
        if (data.Length < HeaderLength)
        {
            problem = $"event status is {data.Length} bytes, shorter than its {HeaderLength}-byte header";
            return false;
        }

        var supported = (NotificationClasses)data[3];
        if ((data[2] & 0x80) != 0)
        {
            mediaEvent = mediaEvent with { SupportedClasses = supported };
            problem = null;
            return true;
        }

        var notificationClass = data[2] & 0x07;
        if (notificationClass != MediaClass)
        {
            problem = $"asked for a media event, the drive answered notification class {notificationClass}";
            return false;
        }

        var declaredEnd = BinaryPrimitives.ReadUInt16BigEndian(data) + 2;
        if (declaredEnd < Length || data.Length < Length)
        {
            problem = $"media event data is {Math.Min(declaredEnd, data.Length)} bytes (declared {declaredEnd}, received {data.Length}); the descriptor needs {Length}";
            return false;
        }

        mediaEvent = new MediaEvent(
            true,
            (MediaEventCode)(data[4] & 0x0F),
            (data[5] & 0x02) != 0,
            (data[5] & 0x01) != 0,
            supported);
        problem = null;
        return true;
    }
}
