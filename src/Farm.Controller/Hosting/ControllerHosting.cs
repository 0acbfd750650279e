using Akka.Cluster.Hosting;
using Akka.Hosting;
using Farm.Controller.Scheduling;
using Farm.Messages.Serialization;
using Farm.Node.Cluster;
using Farm.Node.Configuration;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Hosting;

/// <summary>The Akka.Hosting wiring of a controller process (<c>farm serve</c>, <c>farm demo</c>): tests call the same extensions.</summary>
public static class ControllerHosting
{
    /// <summary>
    /// The cluster (with the given roles), the farm serializer, the farm's database as the default
    /// journal and snapshot store, and the farm controller singleton on the controller role with
    /// its proxy registered under <see cref="FarmControllerKey"/>.
    /// </summary>
    public static AkkaConfigurationBuilder AddFarmController(this AkkaConfigurationBuilder builder, FarmClusterOptions cluster, JournalAddress store, SchedulerOptions scheduler, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(scheduler);
        scheduler.Validate();
        if (store.IsSqlite)
        {
            FarmPersistence.PrepareSqlite(store.Target);
        }

        if (cluster.Seeds.Count == 0 && cluster.Port == 0)
        {
            // A farm of one process (the demo, tests): it seeds itself.
            builder.AddStartup((system, _) => Akka.Cluster.Cluster.Get(system).Join(Akka.Cluster.Cluster.Get(system).SelfAddress));
        }

        // The first seed joins by its own code: a node of the cluster it left may invite it back (ControllerJoin).
        var joinsByInvitation = cluster.Port != 0 && cluster.IsFirstSeed;
        if (joinsByInvitation)
        {
            var seeds = cluster.SeedAddresses.Select(Akka.Actor.Address.Parse).ToList();
            builder.WithActors((system, _, resolver) => system.ActorOf(
                ControllerJoin.Props(seeds, cluster.RejoinWait, (resolver.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<ControllerJoin>()),
                FarmClusterOptions.ControllerJoinName));
        }

        if (store.IsSqlite)
        {
            builder.AddSqliteBusyWait(FarmPersistence.FarmStoreConnection(store), FarmPersistence.FarmJournalId, FarmPersistence.FarmSnapshotId, FarmPersistence.FarmQueryId);
        }

        return builder
            .AddHocon(cluster.ToHocon(joinSeeds: !joinsByInvitation), HoconAddMode.Prepend)
            .AddHocon(FarmSerializer.Hocon, HoconAddMode.Prepend)
            .AddHocon(FarmPersistence.FarmStoreHocon(store), HoconAddMode.Prepend)
            .WithSingleton<FarmControllerKey>(
                FarmControllerKey.SingletonName,
                (_, _, resolver) => FarmControllerActor.PropsFor(scheduler, time, resolver.GetService<ILoggerFactory>()),
                new ClusterSingletonOptions { Role = FarmClusterOptions.ControllerRole },
                createProxyToo: true);
    }
}
