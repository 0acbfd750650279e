using Farm.Node.Configuration;
using Farm.Testing;

namespace Farm.Node.Tests.Hosting;

/// <summary>node.json: a good file loads; every bad field is named with what to do about it.</summary>
public sealed class NodeConfigTests : IDisposable
{
    private const string Good = """
        {
          // comments and trailing commas are fine
          "nodeId": "node-1",
          "timeScale": 10,
          "progress": { "intervalSeconds": 0.5, "megabytes": 8 },
          "towers": [ {
            "id": "T1", "printer": true, "printSeconds": 40,
            "bins": { "input": { "media": "DVD+RW", "capacity": 50 }, "output": { "capacity": 60 }, "reject": { "capacity": 5 } },
            "drives": [ { "id": "T1-D1", "simulate": "DVD+RW" }, { "id": "T1-D2", "simulate": "DVD+RW", "writeSpeed": 4 }, ],
          } ],
        }
        """;

    private readonly TempDirectory _folder = new("node-config");

    public void Dispose() => _folder.Dispose();

    private string Write(string json)
    {
        var path = _folder.PathOf("node.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void A_good_file_loads_with_paths_relative_to_it()
    {
        var config = NodeConfig.Load(Write(Good));

        Assert.Equal(("node-1", 10.0, 1, 2), (config.NodeId, config.TimeScale, config.Towers!.Count, config.Towers[0].Drives!.Count));
        Assert.Equal(_folder.PathOf("data/farm.db"), config.Resolve("data/farm.db"));
        Assert.Null(config.DataPath); // the node's folder is the command line's --data
        Assert.Equal((TimeSpan.FromMilliseconds(500), 8L * 1024 * 1024), (config.ProgressInterval, config.ProgressBytes));
        Assert.Equal(4, config.Towers[0].Drives![1].WriteSpeed);
    }

    [Theory]
    [InlineData("\"nodeId\": \"node-1\"", "\"nodeId\": \"\"", "nodeId: is required")]
    [InlineData("\"nodeId\": \"node-1\"", "\"nodeId\": \"node 1\"", "nodeId: 'node 1' must be 1-64 letters, digits")]
    [InlineData("\"timeScale\": 10", "\"timeScale\": 0.5", "timeScale: must be a number of at least 1")]
    [InlineData("\"intervalSeconds\": 0.5", "\"intervalSeconds\": 0", "progress.intervalSeconds: must be more than 0")]
    [InlineData("\"megabytes\": 8", "\"megabytes\": 0", "progress.megabytes: must be between 0.002")]
    [InlineData("\"id\": \"T1\",", "\"id\": \"\",", "towers[0].id: is required; e.g. \"T1\"")]
    [InlineData("\"media\": \"DVD+RW\"", "\"media\": \"DVD+Q\"", "towers[0].bins.input.media: 'DVD+Q' is not a medium the farm knows; use one of CD-R")]
    [InlineData("\"capacity\": 50", "\"capacity\": -1", "towers[0].bins.input.capacity: must be between 0 and 100000 discs, not -1")]
    [InlineData("\"reject\": { \"capacity\": 5 }", "\"reject\": { \"capacity\": 0 }", "towers[0].bins.reject.capacity: must be between 1 and 100000")]
    [InlineData("\"printSeconds\": 40", "\"printSeconds\": -4", "towers[0].printSeconds: must be between 0 and 3600")]
    [InlineData("\"printer\": true,", "\"printer\": true, \"robot\": \"gripper\",", "towers[0].robot: 'gripper' is not a robot this node knows; use \"simulated\" or a SCSI media changer")]
    [InlineData("\"printer\": true,", "\"printer\": true, \"slots\": { \"input\": \"1-2\" },", "towers[0].slots: is for a media changer")]
    [InlineData("{ \"id\": \"T1-D2\", \"simulate\": \"DVD+RW\", \"writeSpeed\": 4 }", "{ \"id\": \"T1-D1\", \"simulate\": \"DVD+RW\" }", "towers[0].drives[1].id: 'T1-D1' is used by another drive of this node")]
    [InlineData("{ \"id\": \"T1-D2\", \"simulate\": \"DVD+RW\", \"writeSpeed\": 4 }", "{ \"id\": \"T1-D2\" }", "towers[0].drives[1]: give either \"device\"")]
    [InlineData("{ \"id\": \"T1-D2\", \"simulate\": \"DVD+RW\", \"writeSpeed\": 4 }", "{ \"id\": \"T1-D2\", \"simulate\": \"DVD+RW\", \"device\": \"/dev/sr0\" }", "towers[0].drives[1]: give \"device\" or \"simulate\", not both")]
    [InlineData("{ \"id\": \"T1-D2\", \"simulate\": \"DVD+RW\", \"writeSpeed\": 4 }", "{ \"id\": \"T1-D2\", \"device\": \"/dev/sg3\" }", "towers[0].drives[1].device: '/dev/sg3' is a real drive, but its tower is simulated and cannot load it")]
    [InlineData("{ \"id\": \"T1-D2\", \"simulate\": \"DVD+RW\", \"writeSpeed\": 4 }", "{ \"id\": \"T1-D2\", \"simulate\": \"BD-R\" }", "towers[0].drives[1].simulate: the drive simulates BD-R but its tower's input bin holds DVD+RW; make them the same")]
    [InlineData("\"writeSpeed\": 4", "\"writeSpeed\": 0", "towers[0].drives[1].writeSpeed: must be a multiple of the medium's 1x speed")]
    [InlineData("\"drives\": [", "\"drivs\": [], \"drives\": [", "towers[0].drivs: The JSON property 'drivs' could not be mapped")]
    [InlineData("\"timeScale\": 10", "\"journal\": \"sqlite:farm.db\", \"timeScale\": 10", "journal: The JSON property 'journal' could not be mapped")] // the journal bus is gone: a node needs no database
    [InlineData("\"timeScale\": 10", "\"timeScale\": \"fast\"", "timeScale: The JSON value could not be converted")]
    public void A_bad_field_is_named_with_what_to_do(string good, string bad, string expected)
    {
        Assert.Contains(good, Good, StringComparison.Ordinal);
        var path = Write(Good.Replace(good, bad, StringComparison.Ordinal));

        var error = Assert.Throws<NodeConfigException>(() => NodeConfig.Load(path));

        Assert.Contains(error.Problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var error = Assert.Throws<NodeConfigException>(() => NodeConfig.Load(Write("""{ "nodeId": "", "towers": [] }""")));

        Assert.Equal(["nodeId", "towers"], error.Problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public void A_missing_file_says_so()
    {
        var error = Assert.Throws<NodeConfigException>(() => NodeConfig.Load(_folder.PathOf("nope.json")));

        Assert.Contains("the file does not exist", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://farm:s%40cret@db.example:5433/burnfarm", "Host=db.example;Database=burnfarm;Port=5433;Username=farm;Password=s@cret")]
    [InlineData("postgresql://db/farm", "Host=db;Database=farm")]
    [InlineData("postgres:Host=db;Database=farm;Username=x", "Host=db;Database=farm;Username=x")]
    public void A_postgres_journal_becomes_an_npgsql_connection_string(string text, string expected)
    {
        Assert.True(JournalAddress.TryParse(text, out var address, out var problem), problem);

        Assert.False(address!.IsSqlite);
        Assert.Equal(expected, address.Target);
        Assert.DoesNotContain("cret", address.Describe(), StringComparison.Ordinal);
    }
}
