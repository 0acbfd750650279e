using FsCheck;
using FsCheck.Fluent;
using Farm.Device.Sense;

namespace Farm.Device.Tests.Sense;

/// <summary>The parser against arbitrary and generated sense (FsCheck, run from plain facts).</summary>
public class SenseParserPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2_000);

    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(value => (byte)value);

    private static readonly SenseKey[] Keys = Enum.GetValues<SenseKey>();

    private static readonly Gen<ushort?> OptionalProgress =
        Gen.OneOf(Gen.Constant<ushort?>(null), Gen.Choose(0, ushort.MaxValue).Select(value => (ushort?)value));

    private static readonly Gen<uint?> OptionalInformation =
        Gen.OneOf(Gen.Constant<uint?>(null), Gen.Choose(int.MinValue, int.MaxValue).Select(value => (uint?)unchecked((uint)value)));

    private static readonly Gen<SenseCase> Cases =
        from key in Gen.Elements(Keys)
        from asc in AnyByte
        from ascq in AnyByte
        from progress in OptionalProgress
        from information in OptionalInformation
        from deferred in Gen.Elements(false, true)
        select new SenseCase(key, asc, ascq, progress, information, deferred);

    /// <summary>
    /// Lengths 0..300; half the arrays start with a sense response code (70h-73h) so that the
    /// generated garbage gets past the first check and exercises the length and descriptor paths.
    /// </summary>
    private static readonly Gen<byte[]> ArbitraryBytes =
        from length in Gen.Choose(0, 300)
        from bytes in Gen.ArrayOf(AnyByte, length)
        from senseLike in Gen.Elements(false, true)
        from responseCode in Gen.Choose(0x70, 0x73)
        select senseLike && length > 0 ? [(byte)responseCode, .. bytes.AsSpan(1)] : bytes;

    [Fact]
    public void Arbitrary_bytes_never_throw_and_either_parse_or_explain_why_not()
    {
        var property = Prop.ForAll(ArbitraryBytes.ToArbitrary(), bytes =>
        {
            var parsed = SenseParser.TryParse(bytes, out var sense, out var problem);
            return parsed
                ? problem is null && sense.Raw.Length <= bytes.Length && bytes.AsSpan().StartsWith(sense.Raw)
                : !string.IsNullOrWhiteSpace(problem);
        });

        Check.One(Runs, property);
    }

    [Fact]
    public void Empty_and_one_byte_inputs_are_rejected_with_a_reason()
    {
        Assert.False(SenseParser.TryParse([], out _, out var empty));
        Assert.False(SenseParser.TryParse([0x70], out _, out var oneByte));

        Assert.False(string.IsNullOrWhiteSpace(empty));
        Assert.False(string.IsNullOrWhiteSpace(oneByte));
    }

    [Fact]
    public void Fixed_sense_from_the_builder_round_trips()
    {
        var property = Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var bytes = SenseBuilder.Fixed(c.Key, c.Asc, c.Ascq, c.Progress, c.Information);
            return SenseParser.TryParse(bytes, out var sense, out _)
                && sense.Format == SenseFormat.Fixed
                && sense.IsCurrent
                && c.Matches(sense);
        });

        Check.One(Runs, property);
    }

    [Fact]
    public void Descriptor_sense_round_trips()
    {
        var property = Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var bytes = DescriptorSenseBytes.Build(c.Key, c.Asc, c.Ascq, c.Progress, c.Information, c.Deferred);
            return SenseParser.TryParse(bytes, out var sense, out _)
                && sense.Format == SenseFormat.Descriptor
                && sense.IsDeferred == c.Deferred
                && c.Matches(sense);
        });

        Check.One(Runs, property);
    }

    internal sealed record SenseCase(SenseKey Key, byte Asc, byte Ascq, ushort? Progress, uint? Information, bool Deferred)
    {
        /// <summary>Progress survives only with the keys that carry it (SPC-4 4.5.2.4.4).</summary>
        public ushort? ExpectedProgress => Key is SenseKey.NotReady or SenseKey.NoSense ? Progress : null;

        public bool Matches(SenseData sense) =>
            sense.Key == Key
            && sense.Asc == Asc
            && sense.Ascq == Ascq
            && sense.Information == Information
            && sense.Progress == ExpectedProgress;
    }
}
