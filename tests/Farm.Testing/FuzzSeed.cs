using System.Globalization;

namespace Farm.Testing;

/// <summary>
/// The seed of a fuzz campaign. <c>FARM_FUZZ_SEED=N</c> replays a run. Without it, a run on a
/// developer's machine draws a fresh seed, so every local run explores; under CI (<c>CI</c> set,
/// as <c>.ci/run</c> and every CI service set it) the campaign uses its fixed seed, so that a red
/// CI always means a change broke something and never that a new seed found an old bug the day
/// something unrelated was submitted. Exploration in bulk: <c>scripts/fuzz-soak.sh</c>.
/// </summary>
public static class FuzzSeed
{
    public const string Variable = "FARM_FUZZ_SEED";

    /// <summary>The seed to use, written to <paramref name="log"/> with how to replay it.</summary>
    public static int Choose(int ciSeed, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var given = Environment.GetEnvironmentVariable(Variable);
        int seed;
        string why;
        if (int.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out var replay))
        {
            (seed, why) = (replay, $"given by {Variable}");
        }
        else if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            (seed, why) = (ciSeed, "the campaign's fixed seed under CI");
        }
        else
        {
            (seed, why) = (Random.Shared.Next(), "drawn for this run");
        }

        log($"seed {seed}, {why} ({Variable}={seed} replays this run)");
        return seed;
    }
}
