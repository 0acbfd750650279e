using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Towers;
using Farm.Device.Transports;
using Farm.Device.Transports.Linux;
using Farm.Device.Transports.Opening;
using Farm.Device.Transports.Windows;

namespace Farm.Node.Hosting;

/// <summary>A drive the operating system shows, with what it said when asked.</summary>
public sealed record DiscoveredDrive(string Device, string Identity, string Medium, string State);

/// <summary>
/// Finds the optical drives on this machine (Linux: sysfs, /dev/sr* and /dev/sg*; Windows:
/// \\.\CdRomN) and asks each for its loaded medium. A drive that cannot be opened (permissions,
/// in use) is still listed, with the reason, so the operator knows what to fix.
/// </summary>
public static class DriveDiscovery
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Asks a media changer who it is and how full the tower's bins are, as a line for the
    /// operator (or why it cannot be reached).
    /// </summary>
    public static async Task<string> ProbeChangerAsync(string device, SmcTowerLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            await using var transport = ScsiTransports.Open(device);
            var inquiry = await new MmcDrive(transport, TimeProvider.System).InquiryAsync(timeout.Token).ConfigureAwait(false);
            using var robot = new SmcTowerRobot(new SmcChanger(transport), layout);
            var bins = await robot.GetBinsAsync(timeout.Token).ConfigureAwait(false);
            return $"{inquiry}: input {bins.InputBlanks} {bins.InputMediaType} blank(s) in {layout.Input}, output {bins.Output} in {layout.Output}, reject {bins.Reject} in {layout.Reject}";
        }
        catch (Exception failure) when (failure is ScsiTransportException or DeviceException or TowerException or ArgumentException or OperationCanceledException)
        {
            return $"cannot open: {failure.Message}";
        }
    }

    public static async Task<IReadOnlyList<DiscoveredDrive>> FindAsync(CancellationToken cancellationToken)
    {
        var found = new List<DiscoveredDrive>();
        IEnumerable<(string Device, string Identity)> candidates = OperatingSystem.IsWindows()
            ? SptiTransport.Enumerate().Select(d => (d, "")).ToList()
            : LinuxDriveDiscovery.Enumerate().Where(d => d.IsDrive).Select(d => (d.Device, $"{d.Vendor} {d.Model} {d.Revision}".Trim())).ToList();
        foreach (var (device, identity) in candidates)
        {
            found.Add(await ProbeAsync(device, identity, cancellationToken).ConfigureAwait(false));
        }

        return found;
    }

    /// <summary>Asks one drive (any address <see cref="ScsiTransports.Open"/> takes) who it is and what medium it holds; never throws for the device's sake.</summary>
    public static async Task<DiscoveredDrive> ProbeAsync(string device, string identity, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            await using var transport = ScsiTransports.Open(device);
            var mmc = new MmcDrive(transport, TimeProvider.System, new MmcDriveOptions { CommandTimeout = TimeSpan.FromSeconds(5) });
            var inquiry = await mmc.InquiryAsync(timeout.Token).ConfigureAwait(false);
            var profile = await mmc.GetCurrentProfileAsync(timeout.Token).ConfigureAwait(false);
            var medium = profile == Profile.None ? "no disc" : Profiles.All.FirstOrDefault(p => p.Profile == profile)?.Name ?? $"profile {(ushort)profile:X4}h";
            string state;
            try
            {
                await mmc.TestUnitReadyAsync(timeout.Token).ConfigureAwait(false);
                state = "ready";
            }
            catch (DeviceException notReady)
            {
                state = notReady.Error.Error.Name;
            }

            return new DiscoveredDrive(device, inquiry.ToString(), medium, state);
        }
        catch (Exception failure) when (failure is ScsiTransportException or DeviceException or ArgumentException or OperationCanceledException)
        {
            return new DiscoveredDrive(device, identity, "?", $"cannot open: {failure.Message}");
        }
    }
}
