using Farm.Messages.Drives;
using Farm.Messages.Serialization;

namespace Farm.Messages.Tests;

/// <summary>The manifest table: every message and event has one stable short name.</summary>
public sealed class FarmManifestsTests
{
    [Fact]
    public void Every_message_record_in_the_assembly_is_registered()
    {
        var declared = typeof(IFarmMessage).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFarmMessage).IsAssignableFrom(t));

        Assert.Equal(declared.OrderBy(t => t.Name), FarmManifests.All.OrderBy(t => t.Name));
    }

    [Fact]
    public void Every_event_is_among_the_events()
    {
        var events = typeof(IFarmEvent).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFarmEvent).IsAssignableFrom(t));

        Assert.Equal(events.OrderBy(t => t.Name), FarmManifests.AllEvents.OrderBy(t => t.Name));
    }

    [Fact]
    public void A_manifest_names_its_type_and_back()
    {
        var manifest = FarmManifests.ManifestOf(new DriveIdle("D1"));

        Assert.Equal("DriveIdle", manifest);
        Assert.Equal(typeof(DriveIdle), FarmManifests.TypeOf(manifest));
    }

    [Fact]
    public void An_unknown_manifest_has_no_type()
    {
        Assert.Null(FarmManifests.TypeOf("DiscMeltedDown"));
    }

    [Fact]
    public void An_unregistered_message_is_refused_with_a_message_naming_it()
    {
        var refused = Assert.Throws<ArgumentException>(() => FarmManifests.ManifestOf(new Unregistered()));

        Assert.Contains(nameof(Unregistered), refused.Message, StringComparison.Ordinal);
    }

    private sealed record Unregistered : IFarmEvent;
}
