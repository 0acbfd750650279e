namespace Farm.Controller.HotFolder;

/// <summary>
/// Where a job request is, told by its file's extension as PTBurn does: NAME.JRQ dropped,
/// NAME.QRJ accepted (submitted to the farm), NAME.INP in progress, NAME.DON done, NAME.ERR failed
/// or refused.
/// </summary>
public enum HotFolderState
{
    Jrq = 0,
    Qrj = 1,
    Inp = 2,
    Don = 3,
    Err = 4,
}

/// <summary>The file names of a request in each state, and of its status file.</summary>
public static class HotFolderFiles
{
    /// <summary>The status file beside the request: NAME.STATUS.</summary>
    public const string StatusExtension = ".STATUS";

    public static string Extension(HotFolderState state) => "." + state.ToString().ToUpperInvariant();

    public static string PathOf(string folder, string name, HotFolderState state) => Path.Combine(folder, name + Extension(state));

    public static string StatusPath(string folder, string name) => Path.Combine(folder, name + StatusExtension);

    /// <summary>The state a file's extension names (case-insensitive), or null for any other file.</summary>
    public static HotFolderState? StateOf(string path)
    {
        var extension = Path.GetExtension(path);
        return Enum.GetValues<HotFolderState>().Cast<HotFolderState?>()
            .FirstOrDefault(s => string.Equals(Extension(s!.Value), extension, StringComparison.OrdinalIgnoreCase));
    }
}
