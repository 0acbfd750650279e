using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Farm.Controller.HotFolder;

/// <summary>
/// What NAME.STATUS (beside the request) says, in the request's own key=value form: the state,
/// the farm's job, copies done and rejected, the reason on error, the keys the farm did not read,
/// what it does differently from what was asked, and the history of states with their times.
/// </summary>
public sealed record HotFolderStatus(HotFolderState State, string CurrentStatus)
{
    public string? JobId { get; init; }

    public string? ClientId { get; init; }

    public string? FarmJob { get; init; }

    public int Copies { get; init; }

    public int GoodDiscs { get; init; }

    public int BadDiscs { get; init; }

    public int InFlight { get; init; }

    /// <summary>Why the request ended .ERR.</summary>
    public string? Error { get; init; }

    public ImmutableArray<string> UnknownKeys { get; init; } = [];

    public ImmutableArray<string> Notes { get; init; } = [];

    /// <summary>The status for a parsed request, before the farm has done anything.</summary>
    public static HotFolderStatus Of(JobRequestFile request, HotFolderState state, string currentStatus)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new HotFolderStatus(state, currentStatus)
        {
            JobId = request.JobId,
            ClientId = request.ClientId,
            Copies = request.Copies,
            UnknownKeys = [.. request.UnknownKeys.Select(u => $"line {u.Line}: {u.Key} (not a key the farm reads; it reads {string.Join(", ", JobRequestFile.Keys)})")],
        };
    }

    /// <summary>
    /// Writes the status file (a new file moved over the old, so a reader never sees half of it),
    /// keeping the history of the one before and adding this state when it is new.
    /// </summary>
    public void Write(string folder, string name, DateTimeOffset now)
    {
        var path = HotFolderFiles.StatusPath(folder, name);
        var history = ReadValues(path, "History");
        var stamp = HotFolderFiles.Extension(State)[1..];
        if (history.Count == 0 || !history[^1].StartsWith(stamp + " ", StringComparison.Ordinal))
        {
            history.Add(string.Create(CultureInfo.InvariantCulture, $"{stamp} {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"));
        }

        var text = new StringBuilder();
        void Line(string key, object? value)
        {
            if (value is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"{key}={value.ToString()!.ReplaceLineEndings(" ")}\n");
            }
        }

        Line("State", stamp);
        Line("JobID", JobId);
        Line("ClientID", ClientId);
        Line("FarmJob", FarmJob);
        Line("Copies", Copies);
        Line("GoodDiscs", GoodDiscs);
        Line("BadDiscs", BadDiscs);
        Line("InFlight", InFlight);
        Line("CurrentStatus", CurrentStatus);
        Line("Error", Error);
        UnknownKeys.ToList().ForEach(u => Line("UnknownKey", u));
        Notes.ToList().ForEach(n => Line("Note", n));
        history.ForEach(h => Line("History", h));
        Line("Updated", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Every value of a key in a status file (none when the file does not exist).</summary>
    public static List<string> ReadValues(string path, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!File.Exists(path))
        {
            return [];
        }

        var prefix = key + "=";
        return [.. File.ReadLines(path).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..])];
    }
}
