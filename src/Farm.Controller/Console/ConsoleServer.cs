using Farm.Messages.Views;
using Farm.Controller.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.OperatorConsole;

/// <summary>Kestrel on one address, serving the operator console for a controller.</summary>
public static class ConsoleServer
{
    public static Task<WebApplication> StartAsync(FarmController controller, string url, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(controller);
        return StartAsync(() => controller.State, url, loggers, cancellationToken);
    }

    public static async Task<WebApplication> StartAsync(Func<FarmState> farm, string url, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        var app = builder.Build();
        app.MapOperatorConsole(farm);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException busy)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"cannot serve the console at {url}: {busy.Message}; choose another address or port", busy);
        }

        return app;
    }
}
