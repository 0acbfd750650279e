using Farm.Device.Mmc;
using Farm.Device.Sense;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>GET CONFIGURATION (MMC-6: 46h, byte 1 RT, bytes 2-3 STARTING FEATURE NUMBER, bytes 7-8 ALLOCATION LENGTH).</summary>
public sealed class ConfigurationTests
{
    private static byte[] GetConfiguration(byte requestType, ushort startingFeature, ushort allocation = 4096) =>
        [0x46, requestType, (byte)(startingFeature >> 8), (byte)startingFeature, 0, 0, 0, (byte)(allocation >> 8), (byte)allocation, 0];

    /// <summary>Walks the feature descriptors after the 8-byte feature header: (code, current, version, body).</summary>
    private static List<(int Code, bool Current, int Version, byte[] Body)> Features(byte[] response)
    {
        var features = new List<(int, bool, int, byte[])>();
        int end = 4 + (int)UInt32At(response, 0);
        for (int offset = 8; offset < end; offset += 4 + response[offset + 3])
        {
            features.Add((UInt16At(response, offset), (response[offset + 2] & 0x01) != 0, (response[offset + 2] >> 2) & 0x0F,
                response[(offset + 4)..(offset + 4 + response[offset + 3])]));
        }

        return features;
    }

    [Fact]
    public async Task The_header_names_dvd_plus_r_as_the_current_profile()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        var response = await drive.ReadDataAsync(GetConfiguration(0x00, 0x0000), 4096);

        // Feature header: DATA LENGTH (0-3) counts the bytes after itself; CURRENT PROFILE (6-7).
        Assert.Equal(response.Length - 4, (int)UInt32At(response, 0));
        Assert.Equal(0x001B, UInt16At(response, 6));
    }

    [Fact]
    public async Task Without_a_disc_the_current_profile_is_zero()
    {
        await using var drive = FastDrive();

        var response = await drive.ReadDataAsync(GetConfiguration(0x00, 0x0000), 4096);

        Assert.Equal(0x0000, UInt16At(response, 6));
    }

    [Fact]
    public async Task The_profile_list_marks_only_the_loaded_media_profile_current()
    {
        await using var drive = await ReadyDriveAsync(Profile.BdRSequential);

        var response = await drive.ReadDataAsync(GetConfiguration(0x02, 0x0000), 4096);

        var profileList = Assert.Single(Features(response));
        Assert.Equal(0x0000, profileList.Code);
        var current = Enumerable.Range(0, profileList.Body.Length / 4)
            .Where(i => (profileList.Body[(i * 4) + 2] & 0x01) != 0)
            .Select(i => (profileList.Body[i * 4] << 8) | profileList.Body[(i * 4) + 1])
            .ToList();
        Assert.Equal([0x0041], current);
        Assert.Equal(14, profileList.Body.Length / 4);
    }

    [Fact]
    public async Task Every_listed_feature_is_present_in_ascending_order()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        var codes = Features(await drive.ReadDataAsync(GetConfiguration(0x00, 0x0000), 4096)).Select(f => f.Code).ToList();

        Assert.Equal(
            [0x0000, 0x0001, 0x0002, 0x0003, 0x0010, 0x001F, 0x0021, 0x0023, 0x002A, 0x002B, 0x002D, 0x002E, 0x002F, 0x003B, 0x0041, 0x0107],
            codes);
    }

    [Fact]
    public async Task Request_type_01b_returns_only_the_features_current_for_a_dvd_plus_r()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        var codes = Features(await drive.ReadDataAsync(GetConfiguration(0x01, 0x0000), 4096)).Select(f => f.Code).ToList();

        Assert.Equal([0x0000, 0x0001, 0x0002, 0x0003, 0x0010, 0x001F, 0x002B, 0x0107], codes);
    }

    [Fact]
    public async Task Request_type_10b_returns_the_one_feature_asked_for()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusRw);

        var feature = Assert.Single(Features(await drive.ReadDataAsync(GetConfiguration(0x02, 0x002A), 4096)));

        // 002Ah DVD+RW: current on DVD+RW, byte 4 bit 0 Write = 1.
        Assert.Equal(0x002A, feature.Code);
        Assert.True(feature.Current);
        Assert.Equal(0x01, feature.Body[0] & 0x01);
    }

    [Fact]
    public async Task Request_type_11b_is_reserved()
    {
        await using var drive = FastDrive();

        AssertSense(await drive.RunAsync(GetConfiguration(0x03, 0x0000), new byte[64]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task The_response_is_cut_at_the_allocation_length_but_the_data_length_stays_whole()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        var buffer = new byte[4096];

        var result = await drive.RunAsync(GetConfiguration(0x00, 0x0000, allocation: 8), buffer);

        Assert.Equal(4096 - 8, result.Residual);
        Assert.True(UInt32At(buffer, 0) > 8);
        Assert.Equal(0, buffer[8]);
    }

    [Theory]
    [InlineData(Profile.CdR, 0x002D)]
    [InlineData(Profile.DvdRSequential, 0x002F)]
    [InlineData(Profile.DvdPlusRDualLayer, 0x003B)]
    [InlineData(Profile.BdRe, 0x0041)]
    [InlineData(Profile.DvdPlusRw, 0x0023)]
    public async Task The_write_feature_of_the_loaded_medium_is_current(Profile profile, int feature)
    {
        await using var drive = await ReadyDriveAsync(profile);

        var features = Features(await drive.ReadDataAsync(GetConfiguration(0x00, 0x0000), 4096));

        Assert.True(features.Single(f => f.Code == feature).Current);
        Assert.Equal((int)profile, UInt16At(await drive.ReadDataAsync(GetConfiguration(0x00, 0x0000), 8), 6));
    }
}
