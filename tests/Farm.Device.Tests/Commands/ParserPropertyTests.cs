using FsCheck;
using FsCheck.Fluent;
using Farm.Device.Mmc;
using Farm.Device.Sbc;
using Farm.Device.Spc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// Every answer parser against arbitrary bytes (FsCheck, run from plain facts): it returns true, or
/// false with a reason, and never throws; plus round trips of the builders that have parsers.
/// </summary>
public class ParserPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(1_000);

    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(value => (byte)value);

    /// <summary>
    /// Lengths 0..400. Half the arrays get a plausible prefix (a small length field, the expected
    /// page code at byte 8, the media class) so garbage reaches the deeper paths of each parser.
    /// </summary>
    private static readonly Gen<byte[]> ArbitraryBytes =
        from length in Gen.Choose(0, 400)
        from bytes in Gen.ArrayOf(AnyByte, length)
        from plausible in Gen.Elements(false, true)
        from page in Gen.Elements<byte>(0x05, 0x2A)
        select plausible ? Plausible(bytes, page) : bytes;

    private delegate bool Parser(byte[] data, out string? problem);

    public static TheoryData<string> ParserNames => [.. Parsers.Keys];

    private static readonly Dictionary<string, Parser> Parsers = new()
    {
        ["DiscInformation"] = (byte[] d, out string? p) => DiscInformation.TryParse(d, out _, out p),
        ["TrackInformation"] = (byte[] d, out string? p) => TrackInformation.TryParse(d, out _, out p),
        ["Configuration"] = (byte[] d, out string? p) => Configuration.TryParse(d, out _, out p),
        ["BufferCapacity"] = (byte[] d, out string? p) => BufferCapacity.TryParse(d, out _, out p),
        ["CapacityData"] = (byte[] d, out string? p) => CapacityData.TryParse(d, out _, out p),
        ["InquiryData"] = (byte[] d, out string? p) => InquiryData.TryParse(d, out _, out p),
        ["ModeParameterHeader"] = (byte[] d, out string? p) => ModeParameterHeader.TryParse(d, out _, out p),
        ["WriteParameters"] = (byte[] d, out string? p) => WriteParameters.TryParse(d, out _, out p),
        ["Capabilities"] = (byte[] d, out string? p) => Capabilities.TryParse(d, out _, out p),
        ["WriteSpeedDescriptor"] = (byte[] d, out string? p) => WriteSpeedDescriptor.TryParseList(d, out _, out p),
        ["FormatCapacities"] = (byte[] d, out string? p) => FormatCapacities.TryParse(d, out _, out p),
        ["MediaEvent"] = (byte[] d, out string? p) => MediaEvent.TryParse(d, out _, out p),
    };

    [Theory]
    [MemberData(nameof(ParserNames))]
    public void Arbitrary_bytes_never_throw_and_a_rejection_always_says_why(string parserName)
    {
        var parse = Parsers[parserName];
        var property = Prop.ForAll(ArbitraryBytes.ToArbitrary(), bytes =>
            parse(bytes, out var problem) ? problem is null : !string.IsNullOrWhiteSpace(problem));

        Check.One(Runs, property);
    }

    [Fact]
    public void Every_write_parameters_value_survives_mode_select_bytes_and_back()
    {
        var parameters =
            from writeType in Gen.Choose(0, 15)
            from multiSession in Gen.Choose(0, 3)
            from trackMode in Gen.Choose(0, 15)
            from blockType in Gen.Choose(0, 15)
            from flags in Gen.Choose(0, 31)
            from linkSize in AnyByte
            from hostCode in Gen.Choose(0, 63)
            from sessionFormat in AnyByte
            from packetSize in Gen.Choose(int.MinValue, int.MaxValue)
            from pause in Gen.Choose(0, ushort.MaxValue)
            select new WriteParameters
            {
                WriteType = (WriteType)writeType,
                MultiSession = (MultiSession)multiSession,
                TrackMode = (TrackMode)trackMode,
                DataBlockType = (DataBlockType)blockType,
                BufferUnderrunFree = (flags & 1) != 0,
                LinkSizeValid = (flags & 2) != 0,
                TestWrite = (flags & 4) != 0,
                FixedPacket = (flags & 8) != 0,
                Copy = (flags & 16) != 0,
                LinkSize = linkSize,
                HostApplicationCode = (byte)hostCode,
                SessionFormat = (SessionFormat)sessionFormat,
                PacketSize = unchecked((uint)packetSize),
                AudioPauseLength = (ushort)pause,
            };

        var property = Prop.ForAll(parameters.ToArbitrary(), original =>
            WriteParameters.TryParse(original.ToModeSelectParameterList(), out var parsed, out _) && parsed == original);

        Check.One(Runs, property);
    }

    [Fact]
    public void Every_format_descriptor_survives_the_parameter_list_as_an_offered_capacity()
    {
        // The FORMAT UNIT descriptor and the READ FORMAT CAPACITIES formattable descriptor share
        // their layout (MMC-5 6.5.4.2, 6.24.3.3), so a built list reads back as an offer.
        var descriptors =
            from type in Gen.Choose(0, 63)
            from blocks in Gen.Choose(int.MinValue, int.MaxValue)
            from parameter in Gen.Choose(0, 0xFF_FFFF)
            select new FormatDescriptor((FormatType)type, unchecked((uint)blocks), (uint)parameter);

        var property = Prop.ForAll(descriptors.ToArbitrary(), descriptor =>
        {
            var list = descriptor.ToParameterList(immediate: true);
            byte[] answer = [0, 0, 0, 16, 0, 0, 0, 0, 0x03, 0, 0, 0, .. list.AsSpan(4)];
            return FormatCapacities.TryParse(answer, out var capacities, out _)
                && capacities.Formats.Single() == new FormattableCapacity(descriptor.Type, descriptor.NumberOfBlocks, descriptor.TypeDependentParameter);
        });

        Check.One(Runs, property);
    }

    private static byte[] Plausible(byte[] bytes, byte pageCode)
    {
        var copy = bytes.ToArray();
        if (copy.Length > 1)
        {
            copy[0] = 0;
            copy[1] = (byte)Math.Min((int)copy[1], 60);
        }

        if (copy.Length > 7)
        {
            copy[2] &= 0x07;
            copy[6] = 0;
            copy[7] &= 0x0F;
        }

        if (copy.Length > 8)
        {
            copy[8] = pageCode;
        }

        return copy;
    }
}
