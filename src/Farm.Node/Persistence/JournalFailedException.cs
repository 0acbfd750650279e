namespace Farm.Node.Persistence;

/// <summary>The node's journal failed a recorder's or tower's write or recovery: the actor crashes and is restarted with back-off.</summary>
public sealed class JournalFailedException : Exception
{
    public JournalFailedException() { }

    public JournalFailedException(string message) : base(message) { }

    public JournalFailedException(string message, Exception inner) : base(message, inner) { }
}
