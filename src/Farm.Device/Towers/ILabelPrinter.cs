namespace Farm.Device.Towers;

/// <summary>A print that did not happen (out of ink or labels, jammed), with a sentence for the operator.</summary>
public sealed class LabelPrinterException : Exception
{
    public LabelPrinterException(string message) : base(message) { }

    public LabelPrinterException() : this("the label printer failed") { }

    public LabelPrinterException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A tower's optional disc printer: the arm brings the disc from the drive, the printer prints its
/// label, the arm puts it in the output bin. A robot that has one implements this beside
/// <see cref="ITowerRobot"/>.
/// </summary>
public interface ILabelPrinter
{
    /// <summary>False when the tower has no printer fitted (the robot may still implement the interface).</summary>
    bool HasPrinter { get; }

    /// <summary>Prints <paramref name="text"/> on the disc <paramref name="discId"/> taken from <paramref name="driveId"/>; returns how long it took.</summary>
    Task<TimeSpan> PrintAsync(string driveId, string discId, string text, CancellationToken cancellationToken);
}
