using Farm.Device.Sense;
using Farm.Device.Towers;

namespace Farm.Device.Tests.Transports;

/// <summary>
/// READ ELEMENT STATUS answers as tgt 1.0.85 sent them (captured over iSCSI), and malformed
/// variants: the parser is bounded and says what is wrong.
/// </summary>
public sealed class SmcParsingTests
{
    /// <summary>Arm page: the byte count includes the header, so the 52-byte descriptor arrives with 44 bytes.</summary>
    internal const string TgtArm = "040400010000003C01800034000000340010000000000000000000002020202020202020202020202020202020202020202020202020202020202020";

    /// <summary>Slot page: five 52-byte descriptors, the last cut to 44 bytes by the same byte-count quirk.</summary>
    internal const string TgtSlots =
        "040000050000010C0280003400000104"
        + "040001000000000000000000444953435F3030302020202020202020202020202020202020202020202020200000000000000000"
        + "040101000000000000000000444953435F3030312020202020202020202020202020202020202020202020200000000000000000"
        + "04020000000000000000000020202020202020202020202020202020202020202020202020202020202020200000000000000000"
        + "04030000000000000000000020202020202020202020202020202020202020202020202020202020202020200000000000000000"
        + "0404000000000000000000002020202020202020202020202020202020202020202020202020202020202020";

    /// <summary>tgt's answer for all element types at once: descriptors of 44 bytes under a declared 52.</summary>
    internal const string TgtAllTypes =
        "04040008000001A801800034000000340010000000000000000000002020202020202020202020202020202020202020202020202020202020202020"
        + "0280003400000104040001000000000000000000444953435F3030302020202020202020202020202020202020202020";

    [Fact]
    public void Tgts_slot_page_yields_every_slot_with_its_tag()
    {
        Assert.True(SmcElementStatus.TryParse(Convert.FromHexString(TgtSlots), out var slots, out var problem), problem);
        Assert.Equal([1024, 1025, 1026, 1027, 1028], slots.Select(slot => (int)slot.Address));
        Assert.Equal(["DISC_000", "DISC_001", null, null, null], slots.Select(slot => slot.VolumeTag));
        Assert.All(slots, slot => Assert.Equal(SmcElementType.Storage, slot.Type));
    }

    [Fact]
    public void Tgts_short_last_descriptor_still_yields_the_arm()
    {
        Assert.True(SmcElementStatus.TryParse(Convert.FromHexString(TgtArm), out var elements, out var problem), problem);
        var arm = Assert.Single(elements);
        Assert.Equal((SmcElementType.MediumTransport, (ushort)16, false), (arm.Type, arm.Address, arm.Full));
    }

    [Fact]
    public void Tgts_all_types_answer_is_reported_as_malformed_not_misread()
    {
        Assert.False(SmcElementStatus.TryParse(Convert.FromHexString(TgtAllTypes), out var elements, out var problem));
        Assert.Empty(elements);
        Assert.Contains("element type code 0", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_descriptor_with_a_source_address_is_decoded()
    {
        var data = Convert.FromHexString("0001000100000014" + "0400000C0000000C" + "0001050000000000008003FF");
        Assert.True(SmcElementStatus.TryParse(data, out var elements, out var problem), problem);
        var drive = Assert.Single(elements);
        Assert.Equal((SmcElementType.DataTransfer, (ushort)1, true, true, (ushort?)1023), (drive.Type, drive.Address, drive.Full, drive.Exception, drive.SourceAddress));
        Assert.Null(drive.VolumeTag);
    }

    [Theory]
    [InlineData("00010001", "shorter than the 8-byte header")]
    [InlineData("0001000100000010" + "0400000800000008" + "0001010000000000", "fewer than the 12 its flags require")]
    [InlineData("0001000100000010" + "0480000C00000008" + "000101000000000000000000", "fewer than the 48 its flags require")]
    [InlineData("00010001000000FF" + "040000", "page header at offset 8 is cut off")]
    [InlineData("0001000100000010" + "0700000C00000008" + "000101000000000000000000", "element type code 7")]
    public void Malformed_answers_are_refused_with_the_reason(string hex, string reason)
    {
        Assert.False(SmcElementStatus.TryParse(Convert.FromHexString(hex), out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_claiming_more_than_a_complete_answer_holds_is_refused()
    {
        var data = Convert.FromHexString("0001000100000014" + "0400000C000000FF" + "000101000000000000000000");
        Assert.False(SmcElementStatus.TryParse(data, out _, out var problem));
        Assert.Contains("claims 255 bytes", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_of_any_shape_never_throws_or_exceeds_the_element_cap()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var data = new byte[random.Next(0, 600)];
            random.NextBytes(data);
            if (SmcElementStatus.TryParse(data, out var elements, out _))
            {
                Assert.True(elements.Count <= SmcElementStatus.MaxElements);
            }
        }
    }

    [Fact]
    public void Commands_have_the_smc_bytes()
    {
        Assert.Equal("B8120400FFFF000100000000", Convert.ToHexString(SmcCommands.ReadElementStatus(SmcElementType.Storage, 1024, 0xFFFF, true, 0x10000).Bytes));
        Assert.Equal("A50000100400000100000000", Convert.ToHexString(SmcCommands.MoveMedium(16, 1024, 1).Bytes));
        Assert.Equal("070000000000", Convert.ToHexString(SmcCommands.InitializeElementStatus().Bytes));
    }

    [Theory]
    [InlineData(0x05, 0x3B, 0x0E, TowerFault.InputEmpty, "source element is empty")]
    [InlineData(0x05, 0x3B, 0x0D, TowerFault.BinFull, "destination element is full")]
    [InlineData(0x05, 0x21, 0x01, TowerFault.NoSuchDiscOrDrive, "element address does not exist")]
    [InlineData(0x04, 0x15, 0x01, TowerFault.ArmJam, "hardware fault")]
    public void Changer_sense_becomes_the_tower_fault(byte key, byte asc, byte ascq, TowerFault fault, string text)
    {
        var sense = new SenseData(SenseFormat.Fixed, false, (SenseKey)key, asc, ascq, null, null, []);
        var failure = SmcErrors.FromSense(sense, SmcCommands.MoveMedium(16, 1024, 1), "changer");
        Assert.Equal(fault, failure.Fault);
        Assert.Contains(text, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_field_in_a_move_is_a_bad_address_but_not_in_other_commands()
    {
        var sense = new SenseData(SenseFormat.Fixed, false, SenseKey.IllegalRequest, 0x24, 0x00, null, null, []);
        Assert.Equal(TowerFault.NoSuchDiscOrDrive, SmcErrors.FromSense(sense, SmcCommands.MoveMedium(16, 1024, 4000), "changer").Fault);
        Assert.Equal(TowerFault.ArmJam, SmcErrors.FromSense(sense, SmcCommands.InitializeElementStatus(), "changer").Fault);
    }
}
