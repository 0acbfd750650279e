using System.Diagnostics;
using System.Text.Json;
using Farm.Node.Hosting;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// docker/compose.yaml cannot be run here (no Docker engine), so what can be checked is checked:
/// it is YAML that Debian's PyYAML loads (anchors and merge keys resolved), every service that
/// runs our image runs a command line that <c>farm</c> or <c>farm-node</c> parses without an
/// error, every store address parses, and every dependency, volume and Dockerfile exists.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string Root = RepositoryRoot.Find();

    /// <summary>The compose file as JSON, through Debian's python3-yaml (installed by test.sh).</summary>
    private static async Task<JsonElement> LoadComposeAsync()
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)", Path.Combine(Root, "docker", "compose.yaml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var error = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(python.ExitCode == 0, $"docker/compose.yaml does not load as YAML (python3-yaml): {await error}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }

    private static string[] Strings(JsonElement element) => [.. element.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Every_service_of_our_image_runs_a_command_line_farm_or_farm_node_accepts()
    {
        var compose = await LoadComposeAsync();
        var checkedServices = 0;
        foreach (var service in compose.GetProperty("services").EnumerateObject())
        {
            if (service.Value.TryGetProperty("image", out var image) && image.GetString() != "burnfarm")
            {
                continue; // postgres: not ours
            }

            var line = service.Value.TryGetProperty("entrypoint", out var entrypoint)
                ? [.. Strings(entrypoint), .. Strings(service.Value.GetProperty("command"))]
                : Strings(service.Value.GetProperty("command"));
            var (program, args) = (line[0], line[1..]);
            var parsed = program switch
            {
                "farm" => Farm.Controller.Program.CreateRoot().Parse(args),
                "farm-node" => Farm.Node.Program.Parse(args),
                _ => throw new Xunit.Sdk.XunitException($"service {service.Name} runs '{program}', neither farm nor farm-node"),
            };

            Assert.True(parsed.Errors.Count == 0, $"service {service.Name}: {string.Join(' ', line)}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
            var store = Array.IndexOf(args, "--store");
            if (store >= 0)
            {
                Assert.True(Farm.Node.Configuration.JournalAddress.TryParse(args[store + 1], out _, out var problem), $"service {service.Name}: --store {args[store + 1]}: {problem}");
            }

            var cluster = Array.IndexOf(args, "--cluster");
            if (cluster >= 0)
            {
                Farm.Node.Cluster.FarmClusterOptions.ParseEndpoint(args[cluster + 1], "--cluster");
            }

            var seeds = Array.IndexOf(args, "--seeds");
            if (seeds >= 0)
            {
                Assert.NotEmpty(Farm.Node.Cluster.FarmClusterOptions.ParseSeeds(args[seeds + 1]));
            }

            checkedServices++;
        }

        Assert.Equal(7, checkedServices); // controller, standby, node1-3, cli, demo
    }

    [Fact]
    public async Task Every_dependency_volume_and_dockerfile_the_compose_file_names_exists()
    {
        var compose = await LoadComposeAsync();
        var services = compose.GetProperty("services").EnumerateObject().Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var volumes = compose.GetProperty("volumes").EnumerateObject().Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("postgres", services);
        foreach (var service in compose.GetProperty("services").EnumerateObject())
        {
            if (service.Value.TryGetProperty("depends_on", out var dependsOn))
            {
                Assert.All(dependsOn.EnumerateObject(), d => Assert.Contains(d.Name, services));
            }

            if (service.Value.TryGetProperty("volumes", out var mounts))
            {
                Assert.All(Strings(mounts), m => Assert.Contains(m.Split(':')[0], volumes));
            }

            if (service.Value.TryGetProperty("build", out var build))
            {
                var context = Path.GetFullPath(Path.Combine(Root, "docker", build.GetProperty("context").GetString()!));
                Assert.True(File.Exists(Path.Combine(context, build.GetProperty("dockerfile").GetString()!)), $"service {service.Name}: no Dockerfile");
                Assert.True(File.Exists(Path.Combine(context, "BurnFarm.sln")), $"service {service.Name}: the build context is not the repository");
            }
        }
    }
}
