using Farm.Device.Mmc;
using Farm.Device.Simulation;

namespace Farm.Device.Tests.Simulation;

/// <summary>Blank in-memory discs for tests that swap media.</summary>
internal static class SimulatedDiscFactory
{
    public static SimulatedDisc Blank(Profile profile) =>
        SimulatedDisc.Blank(Profiles.Get(profile), $"{profile}-disc", new MemoryMediaStore());
}
