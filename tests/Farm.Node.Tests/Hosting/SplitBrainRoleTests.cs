using Akka.Cluster.SBR;
using Akka.Configuration;
using Farm.Node.Cluster;

namespace Farm.Node.Tests.Hosting;

/// <summary>
/// Whom the Split Brain Resolver counts, as Akka reads the farm's HOCON: the controllers only when
/// the farm has an odd number of them from three (its seeds), so nodes never outvote them; every
/// member with two controllers, where counting only them would make a controller's crash a tie,
/// and with one, whose restart its nodes must outlive.
/// </summary>
public sealed class SplitBrainRoleTests
{
    [Theory]
    [InlineData("10.0.0.5:4053,10.0.0.6:4053,10.0.0.7:4053")]
    [InlineData("10.0.0.5:4053,10.0.0.6:4053,10.0.0.7:4053,10.0.0.8:4053,10.0.0.9:4053")]
    public void With_an_odd_number_of_controllers_from_three_only_controllers_are_counted(string seeds)
    {
        var settings = SettingsOf(new FarmClusterOptions { Host = "10.0.0.21", Port = 4053, Seeds = seeds.Split(',') });

        Assert.Equal(("keep-majority", FarmClusterOptions.ControllerRole), (settings.DowningStrategy, settings.KeepMajorityRole));
    }

    [Fact]
    public void With_two_controllers_every_member_is_counted()
    {
        var settings = SettingsOf(new FarmClusterOptions { Host = "10.0.0.21", Port = 4053, Seeds = ["10.0.0.5:4053", "10.0.0.6:4053"] });

        Assert.Equal(("keep-majority", (string?)null), (settings.DowningStrategy, settings.KeepMajorityRole));
    }

    [Fact]
    public void With_one_controller_every_member_is_counted_so_its_nodes_outvote_it_when_it_dies()
    {
        var settings = SettingsOf(new FarmClusterOptions { Host = "10.0.0.21", Port = 4053, Seeds = ["10.0.0.5:4053"] });

        Assert.Equal(("keep-majority", (string?)null), (settings.DowningStrategy, settings.KeepMajorityRole));
    }

    [Fact]
    public void A_controller_that_seeds_itself_on_its_port_counts_every_member()
    {
        var settings = SettingsOf(new FarmClusterOptions { Host = "127.0.0.1", Port = 4053, Roles = [FarmClusterOptions.ControllerRole] });

        Assert.Null(settings.KeepMajorityRole);
    }

    private static SplitBrainResolverSettings SettingsOf(FarmClusterOptions options) =>
        new(ConfigurationFactory.ParseString(options.ToHocon()));
}
