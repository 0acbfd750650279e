using Farm.Messages.Serialization;
using Farm.Node.Cluster;
using Farm.Node.Hosting;
using Farm.Testing;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Akka;

/// <summary>Where a spec's node journal lives.</summary>
internal enum SpecJournal
{
    /// <summary>Akka's in-memory journal and snapshot store under the node's plugin ids (one ActorSystem).</summary>
    Memory,

    /// <summary>Akka.Persistence.TestKit's journal, whose writes and recoveries a spec can make fail.</summary>
    Failing,
}

/// <summary>An Akka.TestKit spec with the node's serializers and its journal plugins on an in-memory or failing journal.</summary>
[Collection(AkkaSpecs.Name)]
public abstract class NodeSpec : global::Akka.TestKit.Xunit2.TestKit
{
    private protected NodeSpec(ITestOutputHelper output, SpecJournal journal = SpecJournal.Memory)
        : this(ConfigFor(journal), output, new TempDirectory("node-spec"))
    {
    }

    private protected NodeSpec(string config, ITestOutputHelper output, TempDirectory folder)
        : base(config, output)
    {
        Folder = folder;
    }

    /// <summary>The spec's own folder (images, simulated media, SQLite journals); deleted after the ActorSystem stopped.</summary>
    internal TempDirectory Folder { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Folder.Dispose();
        }
    }

    /// <summary>Waits for real work (simulated burns): generous, dilated by the test kit's factor.</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    internal static string ConfigFor(SpecJournal journal)
    {
        var journalClass = journal == SpecJournal.Failing
            ? "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
            : "Akka.Persistence.Journal.MemoryJournal, Akka.Persistence";
        return $$"""
            akka.loglevel = WARNING
            akka.log-dead-letters = off
            akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
            akka.persistence.journal.node {
              class = "{{journalClass}}"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
            akka.persistence.snapshot-store.node {
              class = "Akka.Persistence.Snapshot.MemorySnapshotStore, Akka.Persistence"
              plugin-dispatcher = "akka.actor.default-dispatcher"
            }
            """ + FarmSerializer.Hocon + NodeSnapshotSerializer.Hocon;
    }

    /// <summary>Another ActorSystem (a node process) on the node's real store, SQLite in the spec's folder.</summary>
    internal global::Akka.Actor.ActorSystem NodeSystem(string name) =>
        global::Akka.Actor.ActorSystem.Create(name, global::Akka.Configuration.ConfigurationFactory.ParseString(SqliteConfig(Folder.FullPath)).WithFallback(Sys.Settings.Config));

    /// <summary>The node's real store: SQLite in <paramref name="dataDirectory"/>, for specs where a restart crosses ActorSystems.</summary>
    internal static string SqliteConfig(string dataDirectory)
    {
        FarmPersistence.PrepareSqlite(Path.Combine(dataDirectory, "node.db"));
        return "akka.loglevel = WARNING\nakka.log-dead-letters = off\n" + FarmPersistence.NodeStoreHocon(dataDirectory) + FarmSerializer.Hocon + NodeSnapshotSerializer.Hocon;
    }
}
