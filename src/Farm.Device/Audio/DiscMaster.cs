using Farm.Device.Errors;

namespace Farm.Device.Audio;

/// <summary>The staging formats of IMAPI v1's IDiscMaster (SetActiveDiscMasterFormat).</summary>
public enum DiscMasterFormat
{
    None = 0,

    /// <summary>IRedbookDiscMaster: an audio CD.</summary>
    Redbook = 1,

    /// <summary>IJolietDiscMaster: a data disc (ISO 9660 + Joliet image).</summary>
    Joliet = 2,
}

/// <summary>
/// IDiscMaster's format selection (seed 004): one staged disc is either Redbook audio or Joliet
/// data. A facet obtained for one format answers IMAPI_E_WRONGFORMAT once the other is active
/// ("a call to IJolietDiscMaster has been made when IRedbookDiscMaster is the active format, or
/// vice versa"); changing the format clears the image contents, as the seed says to. Without a
/// selected format the facets answer IMAPI_E_NOACTIVEFORMAT.
/// </summary>
public sealed class DiscMaster : IDisposable
{
    private readonly RedbookStager _redbook;
    private readonly DataStaging _joliet;

    /// <param name="stashDirectory">Where the audio stash file goes (IMAPI's stash); the system temp folder when null.</param>
    /// <param name="audioCapacityBlocks">The audio disc's capacity in blocks (<see cref="CdAddress.Minutes74"/> or <see cref="CdAddress.Minutes80"/>).</param>
    public DiscMaster(string? stashDirectory = null, long audioCapacityBlocks = CdAddress.Minutes80)
    {
        _redbook = new RedbookStager(this, stashDirectory ?? Path.GetTempPath(), audioCapacityBlocks);
        _joliet = new DataStaging(this);
    }

    public DiscMasterFormat ActiveFormat { get; private set; }

    /// <summary>The audio facet (IRedbookDiscMaster).</summary>
    public RedbookStager Redbook
    {
        get
        {
            Require(DiscMasterFormat.Redbook);
            return _redbook;
        }
    }

    /// <summary>The data facet (IJolietDiscMaster): the image to burn.</summary>
    public DataStaging Joliet
    {
        get
        {
            Require(DiscMasterFormat.Joliet);
            return _joliet;
        }
    }

    /// <summary>A master with Redbook active: the usual start of an audio disc.</summary>
    public static DiscMaster ForAudio(string? stashDirectory = null, long capacityBlocks = CdAddress.Minutes80)
    {
        var master = new DiscMaster(stashDirectory, capacityBlocks);
        master.SetActiveFormat(DiscMasterFormat.Redbook);
        return master;
    }

    /// <summary>SetActiveDiscMasterFormat: selecting another format clears what the previous one staged.</summary>
    public void SetActiveFormat(DiscMasterFormat format)
    {
        if (format == ActiveFormat)
        {
            return;
        }

        _redbook.Clear();
        _joliet.Clear();
        ActiveFormat = format;
    }

    public void Dispose() => _redbook.Dispose();

    /// <summary>Throws unless <paramref name="format"/> is active.</summary>
    internal void Require(DiscMasterFormat format)
    {
        if (ActiveFormat == format)
        {
            return;
        }

        if (ActiveFormat == DiscMasterFormat.None)
        {
            throw AudioErrors.Of(ImapiErrors.V1NoActiveFormat, $"no format is selected: select {format} before staging {Describe(format)}");
        }

        throw AudioErrors.Of(
            ImapiErrors.V1WrongFormat,
            $"{ActiveFormat} is the active format, so {Describe(format)} cannot be staged on this disc; select {format} (which clears the {Describe(ActiveFormat)} staged so far) or stage it on another disc");
    }

    private static string Describe(DiscMasterFormat format) => format == DiscMasterFormat.Redbook ? "audio tracks" : "a data image";
}

/// <summary>The Joliet (data) facet of a <see cref="DiscMaster"/>: the image the data writer burns.</summary>
public sealed class DataStaging
{
    private readonly DiscMaster _master;
    private Writing.ImageSource? _image;

    internal DataStaging(DiscMaster master) => _master = master;

    public Writing.ImageSource? Image
    {
        get
        {
            _master.Require(DiscMasterFormat.Joliet);
            return _image;
        }
    }

    public void SetImage(Writing.ImageSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _master.Require(DiscMasterFormat.Joliet);
        _image = source;
    }

    internal void Clear() => _image = null;
}
