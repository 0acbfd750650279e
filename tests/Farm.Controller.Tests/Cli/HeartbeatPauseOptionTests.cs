using Farm.Controller.Cli;

namespace Farm.Controller.Tests.Cli;

/// <summary><c>farm serve --heartbeat-pause</c>: a duration with its unit, from 0.5 s to 1 min, else a clear error.</summary>
public sealed class HeartbeatPauseOptionTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1500)]
    [InlineData("2s", 2000)]
    [InlineData("1m", 60_000)]
    public void A_pause_with_its_unit_within_half_a_second_and_a_minute_is_taken(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ServeCommand.ParseHeartbeatPause(text));

    [Theory]
    [InlineData("499ms")]
    [InlineData("61s")]
    [InlineData("0s")]
    public void A_pause_outside_half_a_second_to_a_minute_is_refused_naming_the_range(string text)
    {
        var refused = Assert.Throws<ArgumentException>(() => ServeCommand.ParseHeartbeatPause(text));

        Assert.Contains("--heartbeat-pause must be between 500ms and 1m", refused.Message, StringComparison.Ordinal);
        Assert.Contains(text, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("soon")]
    public void A_pause_without_a_unit_or_not_a_duration_is_refused_with_an_example(string text)
    {
        var refused = Assert.Throws<ArgumentException>(() => ServeCommand.ParseHeartbeatPause(text));

        Assert.Contains("--heartbeat-pause must be a duration such as 500ms, 10s", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Farm_serve_uses_one_and_a_half_seconds_when_no_pause_is_given()
    {
        var serve = ServeCommand.Create();
        var parsed = serve.Parse(["--cluster", "127.0.0.1:0"]);
        var option = serve.Options.Single(o => o.Name == "--heartbeat-pause");

        Assert.Equal("1.5s", parsed.GetValue((System.CommandLine.Option<string>)option));
    }
}
