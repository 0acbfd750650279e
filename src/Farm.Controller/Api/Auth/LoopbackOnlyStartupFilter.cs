using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Api.Auth;

/// <summary>
/// Without <c>--auth</c>, the first thing every request meets: a client from another machine gets
/// a 403 (the console page included), a loopback client goes on as an admin.
/// </summary>
internal sealed class LoopbackOnlyStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) => LoopbackOnly.IsLoopback(context.Connection.RemoteIpAddress) ? following(context) : LoopbackOnly.RefuseAsync(context));
        next(app);
    };
}

/// <summary>Says at start that the API runs without <c>--auth</c>, so nobody believes it is protected.</summary>
internal sealed partial class LoopbackOnlyNotice(ILogger<LoopbackOnlyNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogLoopbackOnly(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3510, Level = LogLevel.Warning, Message = "No --auth file: the API and the console serve only loopback clients (127.0.0.1, ::1), each as admin; start with --auth FILE to serve other machines with tokens and roles")]
    private static partial void LogLoopbackOnly(ILogger logger);
}
