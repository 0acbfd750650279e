namespace Farm.Node.Persistence;

#pragma warning disable CA1040 // A marker interface binds the node's snapshots to their serializer.

/// <summary>
/// A snapshot of one of the node's persistent actors, stored by Hosting.NodeSnapshotSerializer.
/// Each snapshot type sits beside its actor (Recording.RecorderSnapshot, Towers.TowerSnapshot).
/// </summary>
public interface INodeSnapshot;
#pragma warning restore CA1040
