using System.Net;
using Akka.Hosting;
using Farm.Controller.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// Without --auth: only loopback clients are served (a client from another machine, whose address
/// a first middleware sets as a proxy-less host would see it, gets a 403 saying to use --auth),
/// and the process says so when it starts.
/// </summary>
public sealed class LoopbackOnlyTests
{
    private sealed class RemoteClient(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = address;
                return following(context);
            });
            next(app);
        };
    }

    private sealed class Lines : ILoggerProvider
    {
        public List<string> Logged { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Sink(this);

        public void Dispose()
        {
        }

        private sealed class Sink(Lines owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Logged)
                {
                    owner.Logged.Add(formatter(state, exception));
                }
            }
        }
    }

    [Theory]
    [InlineData("/api/jobs")]
    [InlineData("/")]
    [InlineData("/api/whoami")]
    public async Task A_client_from_another_machine_gets_a_403_saying_to_start_with_auth(string path)
    {
        await using var api = await ApiHost.StartAsync(new ActorRegistry(), new FarmApiOptions(), s => s.AddTransient<IStartupFilter>(_ => new RemoteClient(IPAddress.Parse("192.0.2.7"))));

        using var response = await api.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("start the controller with --auth FILE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_IPv4_mapped_loopback_client_is_served_as_admin()
    {
        await using var api = await ApiHost.StartAsync(new ActorRegistry(), new FarmApiOptions(), s => s.AddTransient<IStartupFilter>(_ => new RemoteClient(IPAddress.Loopback.MapToIPv6())));

        using var response = await api.Http.GetAsync("/api/whoami");

        Assert.Equal("""{"name":"loopback","role":"admin"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Starting_without_auth_says_only_loopback_clients_are_served()
    {
        var lines = new Lines();
        await using var api = await ApiHost.StartAsync(new ActorRegistry(), new FarmApiOptions(), s => s.AddSingleton<ILoggerProvider>(lines));

        lock (lines.Logged)
        {
            Assert.Contains(lines.Logged, l => l.Contains("No --auth file: the API and the console serve only loopback clients", StringComparison.Ordinal));
        }
    }
}
