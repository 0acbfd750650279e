namespace Farm.Messages;

#pragma warning disable CA1040 // Marker interfaces are the point: they bind the protocol to its serializer.

/// <summary>
/// Anything of the farm's protocol that crosses a process boundary or is stored: commands,
/// replies and events. Akka binds every <see cref="IFarmMessage"/> to <see cref="Serialization.FarmSerializer"/>,
/// so no CLR type name is ever written to a journal or the wire.
/// </summary>
public interface IFarmMessage;

/// <summary>
/// An event persisted in a journal. Events are facts in the past tense; their manifest is the
/// type's short name (see <see cref="Serialization.FarmManifests"/>), so renaming one is a schema change.
/// </summary>
public interface IFarmEvent : IFarmMessage;
#pragma warning restore CA1040
