using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Farm.Device.Transports;
using Farm.Device.Transports.Linux;
using Farm.Testing;

namespace Farm.Device.Tests.Transports;

/// <summary>
/// The real kernel's answers to opening a drive, not only the messages built from them: a real sg
/// character device node (major 21) whose minor no drive answers to, opened as an unprivileged
/// user (EACCES: mode 0660, owned by root:disk) and as root (ENXIO: nothing behind it). The tests
/// run as root (CI does), so "an unprivileged user" is this test's own thread with its filesystem
/// user and group IDs set to nobody's (setfsuid/setfsgid are per thread; root's file capabilities
/// are dropped with them), and a dedicated thread, so nothing else in the process is affected.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class LinuxOpenPermissionTests : IDisposable
{
    private const uint Nobody = 65534;
    private readonly TempDirectory _folder = new("sg-permission");

    public void Dispose() => _folder.Dispose();

    [LibraryImport("libc", EntryPoint = "setfsuid")]
    private static partial int SetFsUid(uint uid);

    [LibraryImport("libc", EntryPoint = "setfsgid")]
    private static partial int SetFsGid(uint gid);

    /// <summary>A character device node sg250 (no such sg device exists), mode 0660, group disk.</summary>
    private string MakeNode()
    {
        Assert.True(Environment.UserName == "root", "these tests make a device node with mknod and need root (CI runs as root)");
        var path = _folder.PathOf("sg250");
        Run("mknod", "-m", "0660", path, "c", "21", "250");
        Run("chgrp", "disk", path);
        File.SetUnixFileMode(_folder.FullPath, File.GetUnixFileMode(_folder.FullPath) | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        return path;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
    }

    /// <summary>Runs <paramref name="open"/> on a thread of its own whose filesystem IDs are nobody's.</summary>
    private static Exception? AsNobody(Action open)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            _ = SetFsGid(Nobody);
            _ = SetFsUid(Nobody);
            try
            {
                // An invalid ID changes nothing and returns the current one: proof the thread is nobody now.
                Assert.Equal((int)Nobody, SetFsUid(uint.MaxValue));
                open();
            }
            catch (Exception thrown)
            {
                failure = thrown;
            }
            finally
            {
                _ = SetFsUid(0);
                _ = SetFsGid(0);
            }
        });
        thread.Start();
        thread.Join();
        return failure;
    }

    [LinuxFact]
    public void A_user_outside_the_devices_group_is_told_which_group_to_join_and_which_capability_to_grant()
    {
        var node = MakeNode();

        var failure = Assert.IsType<ScsiTransportException>(AsNobody(() => SgIoTransport.Open(node).DisposeAsync().AsTask().GetAwaiter().GetResult()));

        Assert.Equal(TransportFailure.AccessDenied, failure.Failure);
        Assert.Contains($"{node}: permission denied", failure.Message, StringComparison.Ordinal);
        Assert.Contains("group 'disk' that owns", failure.Message, StringComparison.Ordinal);
        Assert.Contains("sudo usermod -aG disk <user>", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CAP_SYS_RAWIO", failure.Message, StringComparison.Ordinal);
    }

    [LinuxFact]
    public void A_device_node_with_no_drive_behind_it_is_no_such_device()
    {
        var node = MakeNode();

        var failure = Assert.Throws<ScsiTransportException>(() => SgIoTransport.Open(node));

        Assert.Equal(TransportFailure.DeviceGone, failure.Failure);
        Assert.Contains($"{node}: no such device (is the drive connected and powered", failure.Message, StringComparison.Ordinal);
    }
}
