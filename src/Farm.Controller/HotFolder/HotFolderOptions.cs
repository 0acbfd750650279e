namespace Farm.Controller.HotFolder;

/// <summary>The hot folder a controller process watches (<c>--hot-folder DIR</c>) and how.</summary>
public sealed record HotFolderOptions
{
    /// <summary>The folder's absolute path.</summary>
    public required string Folder { get; init; }

    /// <summary>How often the folder is looked at and its jobs' progress written to their status files.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a new .JRQ must keep its size and modification time (and open exclusively) before
    /// it is read: a file still being written, or copied in slowly, is not taken half-written.
    /// </summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> saying what is wrong.</summary>
    public HotFolderOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Folder) || !Path.IsPathFullyQualified(Folder))
        {
            throw new ArgumentException($"--hot-folder needs a folder's path, not '{Folder}'");
        }

        if (!Directory.Exists(Folder))
        {
            throw new ArgumentException($"--hot-folder {Folder} does not exist; create it first (job request files NAME.JRQ are dropped there)");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"the hot folder's poll interval must be above 0 and at most 1 minute, not {PollInterval}");
        }

        if (SettleTime < TimeSpan.Zero || SettleTime > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"the hot folder's settle time must be from 0 to 10 minutes, not {SettleTime}");
        }

        return this;
    }
}
