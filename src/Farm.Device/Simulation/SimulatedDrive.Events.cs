using System.Buffers.Binary;
using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>GET EVENT STATUS NOTIFICATION (media class) and the events behind it.</summary>
public sealed partial class SimulatedDrive
{
    private const byte MediaClassBit = 0x10;
    private const byte MediaClass = 4;
    private const int MaximumQueuedEvents = 16;

    private readonly Queue<MediaEventCode> _mediaEvents = new();

    /// <summary>
    /// Someone pressed the drive's eject button. The drive reports an eject request to the host
    /// (GET EVENT STATUS NOTIFICATION, media class) and leaves the decision to it: the tray stays
    /// shut (a host that holds PREVENT ALLOW MEDIUM REMOVAL wants exactly that).
    /// </summary>
    public void PressEjectButton()
    {
        lock (_sync)
        {
            QueueMediaEvent(MediaEventCode.EjectRequest);
        }
    }

    /// <summary>
    /// GET EVENT STATUS NOTIFICATION (MMC-6; CDB: byte 1: reserved (7-1), Polled (0), which must be
    /// one: asynchronous notification is not supported; bytes 2-3 reserved; byte 4 NOTIFICATION
    /// CLASS REQUEST; bytes 5-6 reserved; bytes 7-8 ALLOCATION LENGTH). Only the media class is
    /// supported. Event Status Notification Header: bytes 0-1 EVENT DESCRIPTOR LENGTH (bytes after
    /// the field), byte 2: NEA (7), NOTIFICATION CLASS (2-0), byte 3 SUPPORTED EVENT CLASSES. With
    /// the media class asked for, a Media Event Descriptor follows: byte 0 bits 3-0 the oldest
    /// pending event (0 none, 1 eject request, 2 new media, 3 media removal, 5 background format
    /// completed, 6 restarted), which is consumed; byte 1: Media Present (1), Door or Tray Open
    /// (0); bytes 2-3 start/end slot 0. Otherwise NEA is set and no descriptor follows. Needs no
    /// medium, answers while the drive is busy, and passes a unit attention by (MMC-6).
    /// </summary>
    private ScsiResult GetEventStatusNotification(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        if ((cdb[1] & 0x01) == 0 || (cdb[1] & 0xFE) != 0 || Cdb.AnySet(cdb, 2, 3) || Cdb.AnySet(cdb, 5, 6))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        byte[] response;
        lock (_sync)
        {
            CompleteLongOperationIfDue();
            if ((cdb[4] & MediaClassBit) == 0)
            {
                response = [0x00, 0x02, 0x80, MediaClassBit];
            }
            else
            {
                var code = _mediaEvents.Count > 0 ? _mediaEvents.Dequeue() : MediaEventCode.NoChange;
                response = new byte[MediaEvent.Length];
                BinaryPrimitives.WriteUInt16BigEndian(response, MediaEvent.Length - 2);
                response[2] = MediaClass;
                response[3] = MediaClassBit;
                response[4] = (byte)code;
                response[5] = (byte)((_disc is not null ? 0x02 : 0x00) | (_trayDisc is not null ? 0x01 : 0x00));
            }
        }

        return Respond(response, Cdb.UInt16(cdb, 7), data);
    }

    /// <summary>Remembers a media event for the host's next poll (call under the lock); the oldest go when too many wait.</summary>
    private void QueueMediaEvent(MediaEventCode code)
    {
        if (_mediaEvents.Count == MaximumQueuedEvents)
        {
            _mediaEvents.Dequeue();
        }

        _mediaEvents.Enqueue(code);
    }
}
