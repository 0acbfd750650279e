using Farm.Device.Towers;
using Farm.Node.Configuration;
using Farm.Node.Hosting;
using Farm.Testing;

namespace Farm.Node.Tests.Hosting;

/// <summary>node.json for real hardware: a tower run by a SCSI media changer, its bins as slot ranges, real drives at its elements.</summary>
public sealed class NodeConfigChangerTests : IDisposable
{
    private const string Good = """
        {
          "nodeId": "node-1",
          "towers": [ {
            "id": "T1",
            "robot": "smc:iscsi://127.0.0.1:3260/iqn.2025-01.org.example:changer/2",
            "slots": { "input": "1024-1073", "output": "1074-1123", "reject": "1124", "arm": 16 },
            "bins": { "input": { "media": "DVD+R" } },
            "drives": [ { "id": "T1-D1", "device": "iscsi://127.0.0.1:3260/iqn.2025-01.org.example:changer/1", "element": 1 },
                        { "id": "T1-D2", "device": "/dev/sr1", "element": 2 } ]
          } ]
        }
        """;

    private readonly TempDirectory _folder = new("node-config-smc");

    public void Dispose() => _folder.Dispose();

    private string Write(string json)
    {
        var path = _folder.PathOf("node.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void A_changer_tower_loads_as_a_layout_of_bins_and_drive_elements()
    {
        var tower = NodeConfig.Load(Write(Good)).Towers![0];

        var layout = NodeRunner.LayoutOf(tower);

        Assert.Equal("iscsi://127.0.0.1:3260/iqn.2025-01.org.example:changer/2", tower.ChangerDevice);
        Assert.Equal((new SlotRange(1024, 1073), new SlotRange(1074, 1123), new SlotRange(1124, 1124)), (layout.Input, layout.Output, layout.Reject));
        Assert.Equal(new Dictionary<string, ushort> { ["T1-D1"] = 1, ["T1-D2"] = 2 }, layout.Drives);
        Assert.Equal(((ushort?)16, "DVD+R"), (layout.TransportElement, layout.InputMediaType));
    }

    [Theory]
    [InlineData("\"robot\": \"smc:iscsi://127.0.0.1:3260/iqn.2025-01.org.example:changer/2\"", "\"robot\": \"smc:iscsi://127.0.0.1:3260/changer\"", "towers[0].robot: the media changer 'iscsi://127.0.0.1:3260/changer' is not an iSCSI address")]
    [InlineData("\"robot\": \"smc:iscsi://127.0.0.1:3260/iqn.2025-01.org.example:changer/2\"", "\"robot\": \"smc:COM1\"", "towers[0].robot: the media changer 'COM1' is not a drive this node can open")]
    [InlineData("\"slots\": { \"input\": \"1024-1073\", \"output\": \"1074-1123\", \"reject\": \"1124\", \"arm\": 16 },", "", "towers[0].slots: is required for a media changer")]
    [InlineData("\"input\": \"1024-1073\"", "\"input\": \"1073-1024\"", "towers[0].slots.input: '1073-1024' runs backwards")]
    [InlineData("\"output\": \"1074-1123\"", "\"output\": \"a lot\"", "towers[0].slots.output: 'a lot' is not a range of element addresses")]
    [InlineData("\"reject\": \"1124\"", "\"reject\": \"\"", "towers[0].slots.reject: is required")]
    [InlineData("\"reject\": \"1124\"", "\"reject\": \"1070-1080\"", "towers[0].slots: the input bin (slots 1024-1073) and the reject bin (slots 1070-1080) share slots")]
    [InlineData("\"arm\": 16", "\"arm\": 70000", "towers[0].slots.arm: must be an element address from 0 to 65535")]
    [InlineData("{ \"id\": \"T1-D2\", \"device\": \"/dev/sr1\", \"element\": 2 }", "{ \"id\": \"T1-D2\", \"simulate\": \"DVD+R\" }", "towers[0].drives[1].device: is required: a media changer loads real drives")]
    [InlineData("{ \"id\": \"T1-D2\", \"device\": \"/dev/sr1\", \"element\": 2 }", "{ \"id\": \"T1-D2\", \"device\": \"/dev/sr1\" }", "towers[0].drives[1].element: is required: the drive's data transfer element address")]
    [InlineData("{ \"id\": \"T1-D2\", \"device\": \"/dev/sr1\", \"element\": 2 }", "{ \"id\": \"T1-D2\", \"device\": \"/dev/fd0\", \"element\": 2 }", "towers[0].drives[1].device: '/dev/fd0' is not a drive this node can open")]
    [InlineData("{ \"id\": \"T1-D2\", \"device\": \"/dev/sr1\", \"element\": 2 }", "{ \"id\": \"T1-D2\", \"device\": \"\\\\\\\\.\\\\CdRom0\", \"element\": 2 }", "towers[0].drives[1].device: '\\\\.\\CdRom0' is a Windows drive name, but this node runs on")]
    [InlineData("{ \"id\": \"T1-D2\", \"device\": \"/dev/sr1\", \"element\": 2 }", "{ \"id\": \"T1-D2\", \"device\": \"/dev/sr1\", \"element\": 2, \"writeSpeed\": 4 }", "towers[0].drives[1].writeSpeed: is for simulated drives")]
    public void A_bad_changer_field_is_named_with_what_to_do(string good, string bad, string expected)
    {
        Assert.Contains(good, Good, StringComparison.Ordinal);
        var path = Write(Good.Replace(good, bad, StringComparison.Ordinal));

        var error = Assert.Throws<NodeConfigException>(() => NodeConfig.Load(path));

        Assert.Contains(error.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }
}
