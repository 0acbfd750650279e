using Farm.Controller.OperatorConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Farm.Controller.Hosting;

/// <summary>What every controller process serves over HTTP: the API and the operator console.</summary>
public static class FarmEndpoints
{
    /// <summary>The services <see cref="MapFarmEndpoints"/> needs.</summary>
    public static IServiceCollection AddFarmEndpoints(this IServiceCollection services)
    {
        services.AddSingleton<FarmStateCache>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<FarmStateCache>());
        return services;
    }

    public static WebApplication MapFarmEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var cache = app.Services.GetRequiredService<FarmStateCache>();
        app.MapOperatorConsole(() => cache.Current);
        return app;
    }
}
