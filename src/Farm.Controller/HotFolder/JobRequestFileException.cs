namespace Farm.Controller.HotFolder;

/// <summary>
/// A <c>.JRQ</c> file that cannot be a job: malformed (a line that is not <c>key=value</c>, a key
/// given twice), a value out of range, or a job the farm cannot burn. <see cref="Line"/> is the
/// line at fault (1-based), null when the file as a whole is (nothing to burn).
/// </summary>
public sealed class JobRequestFileException : FormatException
{
    public JobRequestFileException()
        : this(null, "the job request file is not valid")
    {
    }

    public JobRequestFileException(string message)
        : this(null, message)
    {
    }

    public JobRequestFileException(string message, Exception innerException)
        : base(message, innerException) => Reason = message;

    public JobRequestFileException(int? line, string reason)
        : base(line is null ? reason : $"line {line}: {reason}")
    {
        Line = line;
        Reason = reason;
    }

    /// <summary>The line at fault (1-based), or null when no one line is.</summary>
    public int? Line { get; }

    /// <summary>What is wrong and what to do, without the line number.</summary>
    public string Reason { get; }
}
