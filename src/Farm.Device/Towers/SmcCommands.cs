using Farm.Device.Transports;

namespace Farm.Device.Towers;

/// <summary>SMC-3 element types (READ ELEMENT STATUS element type code).</summary>
public enum SmcElementType : byte
{
    All = 0,
    MediumTransport = 1,
    Storage = 2,
    ImportExport = 3,
    DataTransfer = 4,
}

/// <summary>CDB builders of the SCSI Media Changer commands the tower driver sends (SMC-3).</summary>
public static class SmcCommands
{
    /// <summary>
    /// READ ELEMENT STATUS (B8h): the status of up to <paramref name="count"/> elements of one
    /// type from <paramref name="startAddress"/>, with primary volume tags when asked.
    /// </summary>
    public static Cdb ReadElementStatus(SmcElementType type, ushort startAddress, ushort count, bool volumeTags, uint allocationLength)
    {
        if (allocationLength > 0xFF_FFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(allocationLength), allocationLength, "READ ELEMENT STATUS has a 24-bit allocation length");
        }

        var cdb = new byte[12];
        cdb[0] = 0xB8;
        cdb[1] = (byte)((volumeTags ? 0x10 : 0) | ((byte)type & 0x0F));
        CdbFields.PutUInt16(cdb, 2, startAddress);
        CdbFields.PutUInt16(cdb, 4, count);
        cdb[7] = (byte)(allocationLength >> 16);
        cdb[8] = (byte)(allocationLength >> 8);
        cdb[9] = (byte)allocationLength;
        return new Cdb($"READ ELEMENT STATUS ({type})", cdb);
    }

    /// <summary>MOVE MEDIUM (A5h): the arm at <paramref name="transport"/> carries the medium from source to destination.</summary>
    public static Cdb MoveMedium(ushort transport, ushort source, ushort destination)
    {
        var cdb = new byte[12];
        cdb[0] = 0xA5;
        CdbFields.PutUInt16(cdb, 2, transport);
        CdbFields.PutUInt16(cdb, 4, source);
        CdbFields.PutUInt16(cdb, 6, destination);
        return new Cdb($"MOVE MEDIUM {source} -> {destination}", cdb);
    }

    /// <summary>INITIALIZE ELEMENT STATUS (07h): the changer inventories every element (may take minutes on real robots).</summary>
    public static Cdb InitializeElementStatus() => new("INITIALIZE ELEMENT STATUS", [0x07, 0, 0, 0, 0, 0]);
}
