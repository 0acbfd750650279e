using Farm.Node.Configuration;
using Farm.Testing;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Fuzzing;

/// <summary>
/// 2,000 generated node.json files (<see cref="NodeConfigFiles"/>) through
/// <see cref="NodeConfig.Load"/>, as <c>farm-node --config</c> reads them: each is a valid
/// configuration or a <see cref="NodeConfigException"/> naming the file and at least one problem;
/// no other exception. The seed is printed; FARM_FUZZ_SEED replays a run.
/// </summary>
public sealed class NodeConfigFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Files = 2000;
    private readonly TempDirectory _folder = new("node-json-fuzz");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Two_thousand_generated_node_json_files_each_load_or_give_a_clear_error_and_none_throws_anything_else()
    {
        var seed = FuzzSeed.Choose(ciSeed: 288430517, output.WriteLine);
        var generator = new NodeConfigFiles(seed);
        var path = _folder.PathOf("node.json");
        var (valid, refused) = (0, 0);
        for (var i = 0; i < Files; i++)
        {
            var file = generator.Next();
            File.WriteAllBytes(path, file.Bytes);
            var what = $"seed {seed}, file {i} ({file.Description})";

            var thrown = Record.Exception(() => NodeConfig.Load(path));

            switch (thrown)
            {
                case null:
                    valid++;
                    break;
                case NodeConfigException bad:
                    refused++;
                    Assert.True(bad.Problems.Count > 0 && bad.Problems.All(p => !string.IsNullOrWhiteSpace(p)), $"{what}: an error without a problem: {bad.Message}");
                    Assert.Contains(path, bad.Message, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Fail($"{what}: {thrown.GetType().Name}: {thrown.Message}\n{thrown.StackTrace}");
                    break;
            }
        }

        output.WriteLine($"{valid} valid, {refused} refused with a clear error");
        Assert.True(valid > 0, "no file was valid: the generator's valid configuration is not valid");
        Assert.True(refused > 0, "no file was refused: the generator's mutations change nothing");
    }
}
