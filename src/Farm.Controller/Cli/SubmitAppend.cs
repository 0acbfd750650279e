using System.Text.Json;
using Farm.Messages.Jobs;

namespace Farm.Controller.Cli;

/// <summary><c>farm submit</c>'s options for append jobs (<c>--folder DIR --append [--close]</c>) and an audio job's <c>--cd-text FILE</c>.</summary>
internal static class SubmitAppend
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    /// <summary>The folder of an append job (absolute), or null when the command is not one; bad combinations are an error saying what to give.</summary>
    public static string? Folder(string? folder, bool append, bool close, int otherSources)
    {
        if (!append)
        {
            return folder is null && !close ? null
                : throw new ArgumentException(folder is null ? "--close ends an append job's sessions: give --folder DIR --append --close" : "--folder names what an append job adds: give --append with it (to burn a folder on blanks: farm submit FOLDER)");
        }

        if (folder is null)
        {
            throw new ArgumentException("--append adds a folder as a new session: give --folder DIR");
        }

        return otherSources > 0
            ? throw new ArgumentException("--append adds --folder as a session; give no image, folder argument or --audio with it")
            : Path.GetFullPath(folder);
    }

    /// <summary>Reads a <c>--cd-text</c> JSON file (the API's <c>cdText</c>); the farm checks its fields.</summary>
    public static AudioText? CdText(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<AudioText>(File.ReadAllText(path), Json)
                ?? throw new ArgumentException($"--cd-text {path}: the file holds null; give an object such as {{\"title\": \"Album\", \"tracks\": [{{\"title\": \"One\"}}]}}");
        }
        catch (JsonException bad)
        {
            throw new ArgumentException($"--cd-text {path}: not the JSON of CD-TEXT ({bad.Message}); give {{\"title\", \"performer\", \"catalog\", \"tracks\": [{{\"title\", \"performer\", \"isrc\"}}]}}", bad);
        }
        catch (FileNotFoundException)
        {
            throw new ArgumentException($"--cd-text {path}: no such file");
        }
    }
}
