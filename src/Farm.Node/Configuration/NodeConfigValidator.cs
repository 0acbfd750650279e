using System.Globalization;
using System.Text.RegularExpressions;
using Farm.Device.Mmc;
using Farm.Device.Towers;
using Farm.Device.Transports;
using Farm.Device.Transports.Opening;

namespace Farm.Node.Configuration;

/// <summary>Checks a <see cref="NodeConfig"/>: every problem names its field and says what to do.</summary>
public static partial class NodeConfigValidator
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    public static IReadOnlyList<string> Problems(NodeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        void Add(string field, string problem) => problems.Add($"{field}: {problem}");

        if (config.NodeId is not null)
        {
            CheckId(config.NodeId, "nodeId", "node-1", Add); // optional: the command line's --node-id names the node
        }

        if (!(config.TimeScale >= 1) || !double.IsFinite(config.TimeScale))
        {
            Add("timeScale", $"must be a number of at least 1 (simulated seconds per real second), not {config.TimeScale.ToString(CultureInfo.InvariantCulture)}");
        }

        if (config.Progress is { } progress)
        {
            if (progress.IntervalSeconds is { } interval && !(interval > 0 && interval <= 3600))
            {
                Add("progress.intervalSeconds", $"must be more than 0 and at most 3600 seconds, not {interval.ToString(CultureInfo.InvariantCulture)}");
            }

            if (progress.Megabytes is { } megabytes && !(megabytes >= 0.002 && megabytes <= 4096))
            {
                Add("progress.megabytes", $"must be between 0.002 (one sector) and 4096 MiB, not {megabytes.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        if (config.Towers is not { Count: > 0 } towers)
        {
            Add("towers", "a node needs at least one tower; add e.g. { \"id\": \"T1\", \"bins\": { \"input\": { \"media\": \"DVD+R\", \"capacity\": 100 } }, \"drives\": [ { \"id\": \"T1-D1\", \"simulate\": \"DVD+R\" } ] }");
            return problems;
        }

        var towerIds = new HashSet<string>(StringComparer.Ordinal);
        var driveIds = new HashSet<string>(StringComparer.Ordinal);
        for (var t = 0; t < towers.Count; t++)
        {
            var tower = towers[t];
            var at = $"towers[{t}]";
            if (tower is null)
            {
                Add(at, "is null; give the tower an object with id, bins and drives");
                continue;
            }

            if (CheckId(tower.Id, $"{at}.id", $"T{t + 1}", Add) && !towerIds.Add(tower.Id!))
            {
                Add($"{at}.id", $"'{tower.Id}' is used by another tower; tower ids must be unique");
            }

            var changer = tower.ChangerDevice;
            if (tower.Robot is { } robot && changer is null && !string.Equals(robot, "simulated", StringComparison.OrdinalIgnoreCase))
            {
                Add($"{at}.robot", $"'{robot}' is not a robot this node knows; use \"simulated\" or a SCSI media changer, \"smc:/dev/sgN\" or \"smc:iscsi://host:port/iqn/lun\"");
            }
            else if (changer is not null)
            {
                CheckChanger(tower, changer, at, Add);
            }
            else if (tower.Slots is not null)
            {
                Add($"{at}.slots", "is for a media changer (\"robot\": \"smc:...\"); a simulated tower has bins only");
            }

            var media = tower.Bins?.Input?.Media;
            var known = media is not null && Profiles.TryParse(media, out var blankProfile) ? blankProfile.Name : null;
            if (media is null)
            {
                Add($"{at}.bins.input.media", $"is required: the blanks in the input bin, one of {Profiles.Names}");
            }
            else if (!Profiles.TryParse(media, out _))
            {
                Add($"{at}.bins.input.media", $"'{media}' is not a medium the farm knows; use one of {Profiles.Names}");
            }

            CheckCapacity(tower.Bins?.Input?.Capacity, $"{at}.bins.input.capacity", 0, Add);
            CheckCapacity(tower.Bins?.Output?.Capacity, $"{at}.bins.output.capacity", 1, Add);
            CheckCapacity(tower.Bins?.Reject?.Capacity, $"{at}.bins.reject.capacity", 1, Add);
            CheckSeconds(tower.LoadSeconds, $"{at}.loadSeconds", Add);
            CheckSeconds(tower.UnloadSeconds, $"{at}.unloadSeconds", Add);
            CheckSeconds(tower.PrintSeconds, $"{at}.printSeconds", Add);

            if (tower.Drives is not { Count: > 0 } drives)
            {
                Add($"{at}.drives", $"a tower needs at least one drive; add e.g. {{ \"id\": \"{tower.Id ?? "T1"}-D1\", \"simulate\": \"{media ?? "DVD+R"}\" }}");
                continue;
            }

            for (var d = 0; d < drives.Count; d++)
            {
                var drive = drives[d];
                var dat = $"{at}.drives[{d}]";
                if (drive is null)
                {
                    Add(dat, "is null; give the drive an object with id and simulate (or device)");
                    continue;
                }

                if (CheckId(drive.Id, $"{dat}.id", $"{tower.Id ?? "T1"}-D{d + 1}", Add) && !driveIds.Add(drive.Id!))
                {
                    Add($"{dat}.id", $"'{drive.Id}' is used by another drive of this node; drive ids must be unique");
                }

                if (changer is null)
                {
                    CheckDrive(drive, dat, known, Add);
                }
                else
                {
                    CheckChangerDrive(drive, dat, Add);
                }
            }
        }

        return problems;
    }

    private static void CheckDrive(DriveConfig drive, string at, string? towerMedia, Action<string, string> add)
    {
        switch (drive.Device, drive.Simulate)
        {
            case (null, null):
                add(at, $"give either \"device\" (a real drive such as \"/dev/sr0\") or \"simulate\" (a medium profile such as \"{towerMedia ?? "DVD+R"}\")");
                return;
            case (not null, not null):
                add(at, "give \"device\" or \"simulate\", not both");
                return;
            case (not null, null):
                add($"{at}.device", $"'{drive.Device}' is a real drive, but its tower is simulated and cannot load it; give the tower its media changer (\"robot\": \"smc:/dev/sgN\" or \"smc:iscsi://...\") or use \"simulate\": \"{towerMedia ?? "DVD+R"}\"");
                return;
        }

        if (!Profiles.TryParse(drive.Simulate!, out var profile))
        {
            add($"{at}.simulate", $"'{drive.Simulate}' is not a medium the farm knows; use one of {Profiles.Names}");
        }
        else if (towerMedia is not null && !string.Equals(towerMedia, profile.Name, StringComparison.Ordinal))
        {
            add($"{at}.simulate", $"the drive simulates {profile.Name} but its tower's input bin holds {towerMedia}; make them the same");
        }

        if (drive.WriteSpeed is { } speed && !(speed > 0 && speed <= 64))
        {
            add($"{at}.writeSpeed", $"must be a multiple of the medium's 1x speed, more than 0 and at most 64, not {speed.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>A tower run by a SCSI media changer: its device, and slots for the three bins that do not overlap.</summary>
    private static void CheckChanger(TowerConfig tower, string changer, string at, Action<string, string> add)
    {
        if (ScsiTransports.ProblemWith(changer) is { } problem)
        {
            add($"{at}.robot", $"the media changer {problem}");
        }

        if (tower.Slots is not { } slots)
        {
            add($"{at}.slots", "is required for a media changer: which storage slots are the bins, e.g. { \"input\": \"1024-1073\", \"output\": \"1074-1123\", \"reject\": \"1124-1133\" }");
            return;
        }

        var ranges = new List<(string Bin, SlotRange Range)>();
        foreach (var (bin, text) in new[] { ("input", slots.Input), ("output", slots.Output), ("reject", slots.Reject) })
        {
            if (TryParseSlots(text, out var range, out var why))
            {
                ranges.Add((bin, range));
            }
            else
            {
                add($"{at}.slots.{bin}", why!);
            }
        }

        foreach (var (first, second) in ranges.SelectMany((a, i) => ranges.Skip(i + 1).Select(b => (a, b))).Where(pair => pair.a.Range.Overlaps(pair.b.Range)))
        {
            add($"{at}.slots", $"the {first.Bin} bin ({first.Range}) and the {second.Bin} bin ({second.Range}) share slots; give each bin slots of its own");
        }

        if (slots.Arm is { } arm && arm is < 0 or > ushort.MaxValue)
        {
            add($"{at}.slots.arm", $"must be an element address from 0 to 65535, not {arm}");
        }
    }

    /// <summary>A drive in a changer's tower: a real device at a data transfer element of the changer.</summary>
    private static void CheckChangerDrive(DriveConfig drive, string at, Action<string, string> add)
    {
        if (drive.Device is null)
        {
            add($"{at}.device", $"is required: a media changer loads real drives; give the drive's device (e.g. \"/dev/sr0\" or \"iscsi://host:port/iqn/lun\"){(drive.Simulate is null ? "" : ", not \"simulate\"")}");
            return;
        }

        if (drive.Simulate is not null)
        {
            add(at, "give \"device\" or \"simulate\", not both");
        }

        if (ScsiTransports.ProblemWith(drive.Device) is { } problem)
        {
            add($"{at}.device", problem);
        }

        if (drive.Element is not { } element)
        {
            add($"{at}.element", "is required: the drive's data transfer element address in the changer (READ ELEMENT STATUS lists them; 'farm-node drives' shows the changer's)");
        }
        else if (element is < 0 or > ushort.MaxValue)
        {
            add($"{at}.element", $"must be an element address from 0 to 65535, not {element}");
        }

        if (drive.WriteSpeed is not null)
        {
            add($"{at}.writeSpeed", "is for simulated drives; a real drive writes at the speed the medium and drive agree on");
        }
    }

    /// <summary>"1024-1049" or "1050": storage element addresses, both ends included.</summary>
    public static bool TryParseSlots(string? text, out SlotRange range, out string? problem)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is required: a range of storage element addresses such as \"1024-1049\" (or one address, \"1050\")";
            return false;
        }

        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (!ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !ushort.TryParse(parts.Length == 2 ? parts[1] : parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
        {
            problem = $"'{text}' is not a range of element addresses (0-65535) such as \"1024-1049\" or \"1050\"";
            return false;
        }

        if (first > last)
        {
            problem = $"'{text}' runs backwards; write the lower address first";
            return false;
        }

        range = new SlotRange(first, last);
        problem = null;
        return true;
    }

    private static bool CheckId(string? id, string field, string example, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            add(field, $"is required; e.g. \"{example}\"");
            return false;
        }

        if (!IdPattern().IsMatch(id))
        {
            add(field, $"'{id}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit; e.g. \"{example}\"");
            return false;
        }

        return true;
    }

    private static void CheckCapacity(int? capacity, string field, int minimum, Action<string, string> add)
    {
        if (capacity is { } value && (value < minimum || value > 100_000))
        {
            add(field, $"must be between {minimum} and 100000 discs, not {value}");
        }
    }

    private static void CheckSeconds(double? seconds, string field, Action<string, string> add)
    {
        if (seconds is { } value && !(value >= 0 && value <= 3600))
        {
            add(field, $"must be between 0 and 3600 simulated seconds, not {value.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
