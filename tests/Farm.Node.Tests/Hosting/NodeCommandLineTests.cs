using Farm.Node.Cluster;
using Farm.Testing;

namespace Farm.Node.Tests.Hosting;

/// <summary>
/// <c>farm-node --cluster HOST:PORT --seeds HOST:PORT[,...] --node-id ID --data DIR [--simulate N --time-scale X | --config node.json]</c>:
/// good lines become the node's options; bad values exit 2 with a message that names what is wrong.
/// </summary>
public sealed class NodeCommandLineTests : IDisposable
{
    private readonly TempDirectory _folder = new("node-cli");

    public void Dispose() => _folder.Dispose();

    private static (int Exit, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            return (NodeCommandLine.Run(args), error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }

    private string[] Line(params string[] rest) =>
        ["--cluster", "127.0.0.1:0", "--seeds", "127.0.0.1:4053", "--node-id", "node-7", "--data", _folder.PathOf("data"), .. rest];

    [Fact]
    public void A_simulated_node_line_becomes_its_options()
    {
        var options = NodeCommandLine.ReadOptions("10.0.0.5:4060", "10.0.0.1:4053, 10.0.0.2:4053", "node-7", _folder.PathOf("data"),
            new NodeCommandLine.SimulationChoice(3, 25, "BD-R", 40, 6), null, "5");

        Assert.Equal(("10.0.0.5", 4060), (options.Cluster.Host, options.Cluster.Port));
        Assert.Equal(["10.0.0.1:4053", "10.0.0.2:4053"], options.Cluster.Seeds);
        Assert.Equal([FarmClusterOptions.NodeRole], options.Cluster.Roles);
        Assert.Equal(("node-7", _folder.PathOf("data"), TimeSpan.FromSeconds(5)), (options.NodeId, options.DataDirectory, options.ShutdownGrace));
        Assert.Equal(new Farm.Node.Hosting.SimulatedNode(3, 25, "BD-R", 40, 6), options.Simulated);
        Assert.Null(options.Config);
    }

    [Fact]
    public void A_benchmark_node_line_sets_the_arm_bufe_and_discarding_media()
    {
        var options = NodeCommandLine.ReadOptions("127.0.0.1:0", "127.0.0.1:4053", "node-7", _folder.PathOf("data"),
            new NodeCommandLine.SimulationChoice(32, 1, "BD-R", null, 16) { LoadSeconds = 0, UnloadSeconds = 0.5, BufferUnderrunFree = "off", DiscardMedia = true }, null, "0s");

        Assert.Equal(
            new Farm.Node.Hosting.SimulatedNode(32, 1, "BD-R", 100, 16) { LoadSeconds = 0, UnloadSeconds = 0.5, BufferUnderrunFree = false, DiscardMedia = true },
            options.Simulated);
    }

    [Theory]
    [InlineData("--cluster", "nowhere", "--cluster takes HOST:PORT")]
    [InlineData("--seeds", "127.0.0.1:0", "--seeds: a seed needs a real port")]
    [InlineData("--node-id", "node 7", "the node id (--node-id) must be a non-empty name without spaces")]
    public void A_bad_address_or_id_exits_2_naming_it(string option, string value, string expected)
    {
        var line = Line("--simulate", "2");
        line[Array.IndexOf(line, option) + 1] = value;

        var (exit, error) = Run(line);

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2m", 120)]
    [InlineData("90s", 90)]
    [InlineData("1500ms", 1.5)]
    [InlineData("45", 45)]
    public void Shutdown_grace_takes_a_unit_and_a_plain_number_stays_seconds(string grace, double seconds)
    {
        var options = NodeCommandLine.ReadOptions("10.0.0.5:4060", "10.0.0.1:4053", "node-7", _folder.PathOf("data"),
            new NodeCommandLine.SimulationChoice(1, null, null, null, null), null, grace);

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.ShutdownGrace);
    }

    [Theory]
    [InlineData(new string[0], "give either --simulate N")]
    [InlineData(new[] { "--simulate", "2", "--config", "node.json" }, "give either --simulate N")]
    [InlineData(new[] { "--simulate", "0" }, "--simulate must be between 1 and 64 drives, not 0")]
    [InlineData(new[] { "--simulate", "2", "--time-scale", "0.5" }, "--time-scale must be a number of at least 1")]
    [InlineData(new[] { "--simulate", "2", "--media", "DVD+Q" }, "--media 'DVD+Q' is not a medium this farm knows")]
    [InlineData(new[] { "--simulate", "2", "--blanks", "-1" }, "--blanks must be between 0 and 100000")]
    [InlineData(new[] { "--simulate", "2", "--write-speed", "0" }, "--write-speed must be a multiple of 1x above 0")]
    [InlineData(new[] { "--simulate", "2", "--buffer-underrun-free", "maybe" }, "--buffer-underrun-free is on or off, not 'maybe'")]
    [InlineData(new[] { "--simulate", "2", "--load-seconds", "-1" }, "--load-seconds must be between 0 and 3600")]
    [InlineData(new[] { "--simulate", "2", "--image-ring-mib", "0" }, "--image-ring-mib must be between 1 and 1024")]
    [InlineData(new[] { "--config", "node.json", "--discard-media" }, "--discard-media go with --simulate")]
    [InlineData(new[] { "--simulate", "2", "--shutdown-grace", "-1" }, "--shutdown-grace must be a duration such as 500ms, 10s, 2m or 1h (a plain number is in seconds), not '-1'")]
    [InlineData(new[] { "--simulate", "2", "--shutdown-grace", "5 parsecs" }, "--shutdown-grace must be a duration")]
    [InlineData(new[] { "--simulate", "2", "--image-cache", "5GiB" }, "--image-cache and --fetch-images go with --farm URL")]
    [InlineData(new[] { "--simulate", "2", "--farm", "ctl1:5080" }, "--farm takes controller addresses such as http://controller:8080, not 'ctl1:5080'")]
    [InlineData(new[] { "--simulate", "2", "--farm", "http://ctl1:5080", "--fetch-images", "sometimes" }, "--fetch-images is missing or always, not 'sometimes'")]
    [InlineData(new[] { "--simulate", "2", "--farm", "http://ctl1:5080", "--image-cache", "lots" }, "--image-cache must be a size in whole bytes")]
    [InlineData(new[] { "--simulate", "2", "--farm", "http://ctl1:5080", "--image-cache", "512KiB" }, "--image-cache must be at least 1MiB")]
    public void A_bad_choice_of_hardware_exits_2_naming_it(string[] rest, string expected)
    {
        var (exit, error) = Run(Line(rest));

        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulation_options_with_a_config_and_a_config_for_another_node_exit_2()
    {
        var config = _folder.PathOf("node.json");
        File.WriteAllText(config, """
            { "nodeId": "node-1", "towers": [ { "id": "T1", "bins": { "input": { "media": "DVD+R" } }, "drives": [ { "id": "T1-D1", "simulate": "DVD+R" } ] } ] }
            """);

        var (mixed, mixedError) = Run(Line("--config", config, "--time-scale", "5"));
        var (other, otherError) = Run(Line("--config", config));
        var (missing, missingError) = Run(Line("--config", _folder.PathOf("nope.json")));

        Assert.Equal((2, 2, 2), (mixed, other, missing));
        Assert.Contains("--time-scale, --media, --blanks, --write-speed, --load-seconds, --unload-seconds, --buffer-underrun-free and --discard-media go with --simulate", mixedError, StringComparison.Ordinal);
        Assert.Contains("nodeId is 'node-1' but --node-id is 'node-7'", otherError, StringComparison.Ordinal);
        Assert.Contains("the file does not exist", missingError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_without_the_cluster_options_is_refused_by_the_parser()
    {
        var parsed = Program.Parse(["--simulate", "2"]);

        Assert.NotEmpty(parsed.Errors);
        Assert.Contains(parsed.Errors, e => e.Message.Contains("--cluster", StringComparison.Ordinal));
    }

    [Fact]
    public void The_image_fetch_options_name_the_controllers_the_cache_in_the_data_folder_and_its_size()
    {
        var data = _folder.PathOf("data");

        var fetch = NodeCommandLine.ReadImageFetch("http://ctl1:5080, http://ctl2:5080", "secret", "50GiB", "always", data)!;
        var defaults = NodeCommandLine.ReadImageFetch("http://ctl1:5080", null, null, null, data)!;

        Assert.Equal([new Uri("http://ctl1:5080"), new Uri("http://ctl2:5080")], fetch.Controllers);
        Assert.Equal((Path.Combine(data, "images"), "secret", 50L << 30, true), (fetch.CacheDirectory, fetch.Token, fetch.CacheBytes, fetch.FetchAlways));
        Assert.Equal((null, 20L << 30, false), (defaults.Token, defaults.CacheBytes, defaults.FetchAlways));
        Assert.Null(NodeCommandLine.ReadImageFetch(null, "secret", null, null, data));
    }
}
