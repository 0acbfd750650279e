using Akka.Hosting;
using Farm.Controller.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Tests.Api;

/// <summary>The real API endpoints (the ones <c>farm serve</c> maps) on 127.0.0.1 and a port the OS picks.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="registry">Where the API finds the farm controller (a probe registered under FarmControllerKey, or nothing).</param>
    /// <param name="configure">Services registered before the API's (a startup filter that runs first, a log sink).</param>
    public static async Task<ApiHost> StartAsync(ActorRegistry registry, FarmApiOptions options, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(registry);
        configure?.Invoke(builder.Services);
        builder.Services.AddFarmApi(options);
        var app = builder.Build();
        app.MapFarmApi();
        await app.StartAsync();
        return new ApiHost(app, new Uri(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
