using Akka.Hosting;
using Farm.Device.Writing;
using Farm.Node.Cluster;
using Farm.Node.Images;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Node.Hosting;

/// <summary>The node's Akka.Hosting wiring: its journal and the <see cref="NodeActor"/>.</summary>
public static class FarmNodeHosting
{
    /// <summary>
    /// Adds the node's local SQLite journal and snapshot store (in <see cref="NodeSetup.DataDirectory"/>,
    /// plugin ids <see cref="FarmPersistence.NodeJournalId"/> / <see cref="FarmPersistence.NodeSnapshotId"/>),
    /// the serializer of the node's snapshots, the node's <see cref="SharedImageCache"/>, and starts the <see cref="NodeActor"/> (registered in
    /// the ActorRegistry under <see cref="NodeActor"/>). The controller singleton's proxy must be
    /// registered first: <c>WithSingletonProxy&lt;FarmControllerKey&gt;(FarmControllerKey.SingletonName, ...)</c>
    /// on a node, or <c>WithSingleton&lt;FarmControllerKey&gt;(..., createProxyToo: true)</c> in a process of both roles.
    /// </summary>
    public static AkkaConfigurationBuilder AddFarmNode(this AkkaConfigurationBuilder builder, NodeSetup setup)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(setup);
        setup.Validate();

        // Before the ActorSystem exists: the journal plugin opens the file on first use, in WAL mode.
        FarmPersistence.PrepareSqlite(Path.Combine(Path.GetFullPath(setup.DataDirectory), "node.db"));
        builder.AddHocon(FarmPersistence.NodeStoreHocon(setup.DataDirectory), HoconAddMode.Prepend);
        builder.AddSqliteBusyWait(FarmPersistence.NodeStoreConnection(setup.DataDirectory), FarmPersistence.NodeJournalId, FarmPersistence.NodeSnapshotId);
        builder.AddHocon(NodeSnapshotSerializer.Hocon, HoconAddMode.Prepend);
        builder.WithActors((system, registry, resolver) =>
        {
            if (!registry.TryGet<FarmControllerKey>(out var controller))
            {
                throw new InvalidOperationException(
                    "AddFarmNode needs the controller singleton's proxy registered before it: call WithSingletonProxy<FarmControllerKey>(FarmControllerKey.SingletonName, new ClusterSingletonOptions { Role = FarmClusterOptions.ControllerRole }) first");
            }

            var loggers = resolver.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;

            // One per node: every recorder reads its images through it, so drives burning one image share one read.
            var images = new SharedImageCache(setup.Images, loggers.CreateLogger<SharedImageCache>(), setup.Time);
            system.RegisterOnTermination(() => images.DisposeAsync().AsTask().GetAwaiter().GetResult());

            // Images the node cannot open at their paths come from a controller, once, into its cache.
            ImageStore? fetched = null;
            if (setup.ImageFetch is { } fetch)
            {
                var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // a stalled read is cut by the fetch's own StallTimeout
                fetched = new ImageStore(fetch, http, setup.Time, loggers.CreateLogger<ImageStore>());
                system.RegisterOnTermination(() =>
                {
                    fetched.Dispose();
                    http.Dispose();
                });
            }

            registry.Register<NodeActor>(system.ActorOf(NodeActor.Props(setup, controller, loggers, images, fetched), "node"));
            // The first seed is the controller that may form a cluster alone: the one to invite back (none in a process of one).
            var firstSeed = system.Settings.Config.GetStringList("akka.cluster.seed-nodes", []).FirstOrDefault();
            system.ActorOf(ControllerPresenceWatch.Props(setup.ControllerAbsenceLimit, firstSeed, loggers.CreateLogger<ControllerPresenceWatch>()), "controller-presence");
        });
        return builder;
    }
}
