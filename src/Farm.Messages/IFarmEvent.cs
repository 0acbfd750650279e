namespace Farm.Messages;

/// <summary>
/// An event persisted in a journal. Events are facts in the past tense; their CLR type name is the
/// journal's manifest (see <see cref="EventTypes"/>), so renaming one is a schema change.
/// </summary>
#pragma warning disable CA1040 // A marker interface is the point: it says "this record goes in the journal".
public interface IFarmEvent;
#pragma warning restore CA1040
