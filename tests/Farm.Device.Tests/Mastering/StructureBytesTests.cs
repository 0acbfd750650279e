using Farm.Device.Mastering;

namespace Farm.Device.Tests.Mastering;

/// <summary>The byte layouts of ECMA-119, field by field (offsets are the standard's BP minus 1).</summary>
public sealed class StructureBytesTests
{
    private static readonly DateTimeOffset When = new(2024, 5, 17, 12, 34, 56, 780, TimeSpan.Zero);

    [Fact]
    public void Both_endian_fields_are_little_endian_then_big_endian()
    {
        var field32 = new byte[8];
        var field16 = new byte[4];

        IsoBytes.BothEndian32(field32, 0x12345678);
        IsoBytes.BothEndian16(field16, 0x0800);

        Assert.Equal(new byte[] { 0x78, 0x56, 0x34, 0x12, 0x12, 0x34, 0x56, 0x78 }, field32);
        Assert.Equal(new byte[] { 0x00, 0x08, 0x08, 0x00 }, field16);
    }

    [Fact]
    public void The_7_byte_date_counts_years_from_1900_in_utc()
    {
        var field = new byte[7];

        IsoBytes.ShortDate(field, new DateTimeOffset(2024, 5, 17, 14, 34, 56, TimeSpan.FromHours(2)));

        Assert.Equal(new byte[] { 124, 5, 17, 12, 34, 56, 0 }, field);
    }

    [Fact]
    public void The_17_byte_date_is_ascii_digits_with_hundredths_and_unset_is_zeros()
    {
        var field = new byte[17];
        var unset = new byte[17];

        IsoBytes.LongDate(field, When);
        IsoBytes.LongDate(unset, null);

        Assert.Equal("2024051712345678"u8.ToArray().Append((byte)0), field);
        Assert.Equal("0000000000000000"u8.ToArray().Append((byte)0), unset);
    }

    [Fact]
    public void A_directory_record_has_its_fields_at_the_offsets_of_9_1_and_an_even_length()
    {
        var record = new byte[64];

        var length = DirectoryRecord.Write(record, "README.TXT;1"u8, lba: 0x1234, dataLength: 5000, When, flags: 0);

        Assert.Equal(33 + 12 + 1, length);                                  // even identifier: a pad byte
        Assert.Equal(length, record[0]);                                    // 9.1.1
        Assert.Equal(0, record[1]);                                         // 9.1.2
        Assert.Equal(new byte[] { 0x34, 0x12, 0, 0, 0, 0, 0x12, 0x34 }, record[2..10]);   // 9.1.3
        Assert.Equal(new byte[] { 0x88, 0x13, 0, 0, 0, 0, 0x13, 0x88 }, record[10..18]);  // 9.1.4: 5000
        Assert.Equal(new byte[] { 124, 5, 17, 12, 34, 56, 0 }, record[18..25]);            // 9.1.5
        Assert.Equal(0, record[25]);                                        // 9.1.6 flags
        Assert.Equal(new byte[] { 1, 0, 0, 1 }, record[28..32]);            // 9.1.9
        Assert.Equal(12, record[32]);                                       // 9.1.10
        Assert.Equal("README.TXT;1"u8.ToArray(), record[33..45]);           // 9.1.11
        Assert.Equal(0, record[45]);                                        // 9.1.12 padding
        Assert.Equal(34, DirectoryRecord.Length(1));                        // ".": odd, no pad
    }

    [Fact]
    public void Path_table_records_are_little_endian_in_l_and_big_endian_in_m()
    {
        var root = new IsoDirectory("/r", "r", When, parent: null);
        var sub = new IsoDirectory("/r/d", "d", When, root);
        sub.SetPrimaryIdentifier("DOCS"u8.ToArray());
        root.In(IsoTree.Primary).Number = 1;
        sub.In(IsoTree.Primary).Lba = 0x0102;
        var little = new byte[16];
        var big = new byte[16];

        var length = PathTable.Write(little, sub, IsoTree.Primary, bigEndian: false);
        PathTable.Write(big, sub, IsoTree.Primary, bigEndian: true);

        Assert.Equal(12, length);
        Assert.Equal(new byte[] { 4, 0, 0x02, 0x01, 0, 0, 1, 0, (byte)'D', (byte)'O', (byte)'C', (byte)'S' }, little[..12]);
        Assert.Equal(new byte[] { 4, 0, 0, 0, 0x01, 0x02, 0, 1, (byte)'D', (byte)'O', (byte)'C', (byte)'S' }, big[..12]);
        Assert.Equal(10, PathTable.RecordLength(1)); // the root: 00h and a pad byte
    }

    [Fact]
    public void The_primary_and_joliet_descriptors_have_the_fields_of_8_4_and_8_5()
    {
        var root = new IsoDirectory("/r", "r", When, parent: null);
        root.In(IsoTree.Primary).Lba = 23;
        root.In(IsoTree.Primary).Bytes = 2048;
        var fields = new VolumeDescriptor.Fields("Disc", 1000, 10, 19, 20, root, When);

        var primary = VolumeDescriptor.Build(IsoTree.Primary, fields);
        var joliet = VolumeDescriptor.Build(IsoTree.Joliet, fields);
        var terminator = VolumeDescriptor.Terminator();

        Assert.Equal(new byte[] { 1, (byte)'C', (byte)'D', (byte)'0', (byte)'0', (byte)'1', 1 }, primary[..7]);
        Assert.Equal("DISC                            "u8.ToArray(), primary[40..72]);
        Assert.Equal(new byte[] { 0xE8, 0x03, 0, 0, 0, 0, 0x03, 0xE8 }, primary[80..88]);  // 8.4.8
        Assert.Equal(new byte[] { 0, 8, 8, 0 }, primary[128..132]);                        // 8.4.12
        Assert.Equal(new byte[] { 10, 0, 0, 0, 0, 0, 0, 10 }, primary[132..140]);          // 8.4.13
        Assert.Equal(new byte[] { 19, 0, 0, 0 }, primary[140..144]);                       // 8.4.14, LE
        Assert.Equal(new byte[] { 0, 0, 0, 20 }, primary[148..152]);                       // 8.4.16, BE
        Assert.Equal(34, primary[156]);                                                    // 8.4.18
        Assert.Equal(new byte[] { 23, 0, 0, 0, 0, 0, 0, 23 }, primary[158..166]);
        Assert.Equal("2024051712345678"u8.ToArray(), primary[813..829]);                   // 8.4.26
        Assert.Equal(1, primary[881]);                                                     // 8.4.31
        Assert.All(primary[88..120], b => Assert.Equal(0, b));
        Assert.Equal(2, joliet[0]);
        Assert.Equal("%/E"u8.ToArray(), joliet[88..91]);                                   // 8.5.6
        Assert.Equal(new byte[] { 0, (byte)'D', 0, (byte)'i', 0, (byte)'s', 0, (byte)'c', 0, (byte)' ' }, joliet[40..50]);
        Assert.Equal(new byte[] { 255, (byte)'C', (byte)'D', (byte)'0', (byte)'0', (byte)'1', 1 }, terminator[..7]);
        Assert.All(terminator[7..], b => Assert.Equal(0, b));
    }
}
