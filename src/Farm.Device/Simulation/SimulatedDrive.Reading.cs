using System.Buffers.Binary;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>READ DISC INFORMATION, READ TRACK INFORMATION, READ CAPACITY, READ(10) and READ(12).</summary>
public sealed partial class SimulatedDrive
{
    /// <summary>
    /// READ DISC INFORMATION (MMC-6; CDB: byte 1 bits 2-0 DATA TYPE, bits 7-3 reserved; bytes 2-6
    /// reserved; bytes 7-8 ALLOCATION LENGTH). Only data type 000b (standard disc information,
    /// <see cref="DiscInformationData"/>) is implemented; track resources (001b) and POW resources
    /// (010b) answer 5/24/00 as on a drive without them.
    /// </summary>
    private ScsiResult ReadDiscInformation(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        if (cdb[1] != 0 || Cdb.AnySet(cdb, 2, 6))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_sync)
        {
            return NotReady() ?? Respond(DiscInformationData.Build(_disc!), Cdb.UInt16(cdb, 7), data);
        }
    }

    /// <summary>
    /// READ TRACK INFORMATION (MMC-6; CDB: byte 1 bit 2 OPEN, bits 1-0 ADDRESS/NUMBER TYPE, bits
    /// 7-3 reserved; bytes 2-5 LBA / track / session number; byte 6 reserved; bytes 7-8
    /// ALLOCATION LENGTH). Type 00b: the track holding the LBA; 01b: the track with that number,
    /// FFh meaning the invisible track, or with OPEN the first open track from that number on;
    /// 10b: the first track of that session; 11b reserved. No such track: 5/24/00. Response:
    /// <see cref="TrackInformationData"/>.
    /// </summary>
    private ScsiResult ReadTrackInformation(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        int addressType = cdb[1] & 0x03;
        bool open = (cdb[1] & 0x04) != 0;
        if ((cdb[1] & 0xF8) != 0 || addressType == 0x03 || (open && addressType != 0x01) || cdb[6] != 0)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        uint value = Cdb.UInt32(cdb, 2);
        lock (_sync)
        {
            if (NotReady() is { } notReady)
            {
                return notReady;
            }

            var medium = _disc!;
            SimulatedTrack? track = addressType switch
            {
                0x00 => medium.TrackContaining(value),
                0x02 => medium.Tracks.FirstOrDefault(t => t.Session == value),
                _ when open => medium.Tracks.FirstOrDefault(t => t.Number >= value && t.Status != TrackStatus.Complete),
                _ => medium.Tracks.FirstOrDefault(t => t.Number == value)
                    ?? (value == 0xFF ? medium.WritableTrack : null),
            };
            return track is null
                ? SenseCode.InvalidFieldInCdb.ToResult()
                : Respond(TrackInformationData.Build(medium, track), Cdb.UInt16(cdb, 7), data);
        }
    }

    /// <summary>
    /// READ CAPACITY(10) (SBC-3 / MMC-6; CDB: byte 1 bit 0 obsolete RelAdr = 0, bits 7-1
    /// reserved; bytes 2-5 LOGICAL BLOCK ADDRESS, zero unless PMI; bytes 6-7 reserved; byte 8
    /// bit 0 PMI). Response, 8 bytes: bytes 0-3 the last recorded LBA (overwritable media: the
    /// last formatted LBA; a blank disc reports 0), bytes 4-7 the block length 2048.
    /// </summary>
    private ScsiResult ReadCapacity(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        bool partialMediumIndicator = (cdb[8] & 0x01) != 0;
        if (cdb[1] != 0 || Cdb.AnySet(cdb, 6, 7) || (cdb[8] & 0xFE) != 0
            || (!partialMediumIndicator && Cdb.UInt32(cdb, 2) != 0))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_sync)
        {
            if (NotReady() is { } notReady)
            {
                return notReady;
            }

            long lastBlock = _disc!.IsOverwritable ? _disc.CapacityBlocks - 1 : _disc.LastRecordedAddress ?? 0;
            var response = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(response, (uint)lastBlock);
            BinaryPrimitives.WriteUInt32BigEndian(response.AsSpan(4), IMediaStore.BlockSize);
            return Respond(response, response.Length, data);
        }
    }

    /// <summary>
    /// READ(10) (SBC-3 / MMC-6; CDB: byte 1: RDPROTECT (7-5) = 0, DPO (4), FUA (3), reserved (2),
    /// FUA_NV (1), obsolete RelAdr (0) = 0; bytes 2-5 LBA; byte 6 group number; bytes 7-8
    /// TRANSFER LENGTH in blocks) and READ(12) (bytes 6-9 TRANSFER LENGTH; byte 10 bit 7
    /// Streaming). The buffer must hold exactly the blocks asked for (5/24/00 otherwise). Reading
    /// past the last recorded address of sequential media, or past the capacity, is 5/21/00.
    /// </summary>
    private ScsiResult Read(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        if ((cdb[1] & 0xE5) != 0)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        long lba = Cdb.UInt32(cdb, 2);
        long blocks = cdb[0] == OperationCodes.Read10 ? Cdb.UInt16(cdb, 7) : Cdb.UInt32(cdb, 6);
        if (blocks * IMediaStore.BlockSize != data.Length)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_sync)
        {
            if (NotReady() is { } notReady)
            {
                return notReady;
            }

            if (blocks == 0)
            {
                return ScsiResult.Good();
            }

            if (_disc!.CheckRead(lba, blocks) is { } error)
            {
                return error.ToResult();
            }

            _disc.Read(lba, data);
            return ScsiResult.Good();
        }
    }
}
