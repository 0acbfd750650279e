using Akka.Hosting;
using Farm.Controller.Api;
using Farm.Node.Cluster;
using Farm.Testing;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// What the API specs share: an ActorSystem (TestKit) whose registry holds a TestProbe under
/// FarmControllerKey, answering as the controller singleton, and the real endpoints hosted on a
/// free port, asking it with a 1 s timeout.
/// </summary>
public abstract class ApiSpec : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private ApiHost? _api;

    protected ApiSpec(string prefix)
    {
        Folder = new TempDirectory(prefix);
        Controller = new ControllerStandIn(CreateTestProbe());
        ActorRegistry.For(Sys).Register<FarmControllerKey>(Controller.Probe.Ref);
    }

    internal ControllerStandIn Controller { get; }

    internal TempDirectory Folder { get; }

    internal ApiHost Api => _api ?? throw new InvalidOperationException("the API is not started");

    /// <summary>The API's options; a spec with tokens or image roots gives its own.</summary>
    protected virtual FarmApiOptions Options => new() { AskTimeout = TimeSpan.FromSeconds(1) };

    public async Task InitializeAsync() =>
        _api = await ApiHost.StartAsync(ActorRegistry.For(Sys), Options, ConfigureServices);

    /// <summary>Services registered before the API's (a spec's startup filter); none by default.</summary>
    protected virtual void ConfigureServices(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        Folder.Dispose();
    }

    /// <summary>An image file of <paramref name="length"/> bytes (sparse: only its size matters to the API).</summary>
    protected string WriteImage(string name, long length)
    {
        var path = Folder.PathOf(name);
        using var file = File.Create(path);
        file.SetLength(length);
        return path;
    }
}
