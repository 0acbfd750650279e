using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>INQUIRY and GET CONFIGURATION.</summary>
public sealed partial class SimulatedDrive
{
    /// <summary>
    /// INQUIRY (SPC-4; CDB: byte 1 bit 0 EVPD, bit 1 obsolete CmdDt = 0, bits 7-2 reserved;
    /// byte 2 PAGE CODE; bytes 3-4 ALLOCATION LENGTH). Standard data when EVPD = 0 (page code
    /// must then be 0); VPD pages 00h and 80h when EVPD = 1; any other page is an invalid field.
    /// Needs no medium and ignores a pending unit attention.
    /// </summary>
    private ScsiResult Inquiry(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        bool vitalProductData = (cdb[1] & 0x01) != 0;
        byte page = cdb[2];
        if ((cdb[1] & 0xFE) != 0 || (!vitalProductData && page != 0))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        byte[]? response = !vitalProductData
            ? InquiryData.Standard(_options)
            : page switch
            {
                InquiryData.SupportedPagesPage => InquiryData.SupportedPages(),
                InquiryData.UnitSerialNumberPage => InquiryData.UnitSerialNumber(_options.SerialNumber),
                _ => null,
            };
        return response is null
            ? SenseCode.InvalidFieldInCdb.ToResult()
            : Respond(response, Cdb.UInt16(cdb, 3), data);
    }

    /// <summary>
    /// GET CONFIGURATION (MMC-6; CDB: byte 1 bits 1-0 RT, bits 7-2 reserved; bytes 2-3 STARTING
    /// FEATURE NUMBER; bytes 4-6 reserved; bytes 7-8 ALLOCATION LENGTH). RT = 11b is reserved.
    /// The response layout is <see cref="ConfigurationData"/>; without a medium the current
    /// profile is 0000h. Needs no medium and ignores a pending unit attention.
    /// </summary>
    private ScsiResult GetConfiguration(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        int requestType = cdb[1] & 0x03;
        if ((cdb[1] & 0xFC) != 0 || requestType == 0x03 || Cdb.AnySet(cdb, 4, 6))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        Mmc.ProfileInfo? medium;
        lock (_sync)
        {
            medium = _disc?.Profile;
        }

        byte[] response = ConfigurationData.Build(requestType, Cdb.UInt16(cdb, 2), medium);
        return Respond(response, Cdb.UInt16(cdb, 7), data);
    }
}
