using Microsoft.Extensions.DependencyInjection;

namespace Farm.Controller.HotFolder;

/// <summary>The hot folder on a controller process: only the one given <c>--hot-folder</c> watches it.</summary>
public static class HotFolderHosting
{
    /// <summary>Adds the watcher (after <c>AddFarmApi</c>, whose gateway it submits through); null adds nothing.</summary>
    public static IServiceCollection AddHotFolder(this IServiceCollection services, HotFolderOptions? options)
    {
        if (options is null)
        {
            return services;
        }

        services.AddSingleton(options.Validate());
        services.AddSingleton<HotFolderWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<HotFolderWatcher>());
        return services;
    }
}
