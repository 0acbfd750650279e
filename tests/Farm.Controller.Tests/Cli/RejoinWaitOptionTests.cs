using Farm.Controller.Cli;
using Farm.Node.Cluster;

namespace Farm.Controller.Tests.Cli;

/// <summary>
/// <c>farm serve --rejoin-wait</c>: how long the first seed controller waits for its nodes to invite
/// it back before it forms the cluster alone; 0 to 5 min, a plain number in seconds.
/// </summary>
public sealed class RejoinWaitOptionTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("15s", 15_000)]
    [InlineData("2m", 120_000)]
    public void A_wait_from_nothing_to_five_minutes_is_taken(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ServeCommand.ParseRejoinWait(text));

    [Theory]
    [InlineData("6m")]
    [InlineData("-1s")]
    [InlineData("later")]
    public void A_wait_outside_the_range_or_not_a_duration_is_refused_naming_the_option(string text)
    {
        var refused = Assert.Throws<ArgumentException>(() => ServeCommand.ParseRejoinWait(text));

        Assert.Contains("--rejoin-wait", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_option_the_wait_is_the_heartbeat_pause_and_the_remote_retry_gate_and_a_second()
    {
        var cluster = new FarmClusterOptions { Host = "10.0.0.5", Port = 4053, AcceptableHeartbeatPause = TimeSpan.FromSeconds(10) };

        Assert.Equal(TimeSpan.FromSeconds(16), cluster.RejoinWait);
        Assert.Equal(TimeSpan.FromSeconds(2), (cluster with { RejoinWait = TimeSpan.FromSeconds(2) }).RejoinWait);
    }
}
