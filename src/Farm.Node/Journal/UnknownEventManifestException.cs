namespace Farm.Node.Journal;

/// <summary>
/// A stored row names a manifest this build does not know (written by a newer version, or an
/// event type was renamed): the row cannot be turned back into an event.
/// </summary>
public sealed class UnknownEventManifestException : Exception
{
    public UnknownEventManifestException(string manifest, long ordering)
        : base($"journal row at ordering {ordering} has manifest '{manifest}', which this build does not know (see EventTypes)")
    {
        Manifest = manifest;
        Ordering = ordering;
    }

    public UnknownEventManifestException() : base("unknown event manifest") => Manifest = "";

    public UnknownEventManifestException(string message) : base(message) => Manifest = "";

    public UnknownEventManifestException(string message, Exception inner) : base(message, inner) => Manifest = "";

    public string Manifest { get; }

    public long Ordering { get; }
}
