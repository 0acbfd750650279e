using System.Collections.Immutable;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Api;

/// <summary>A small farm as the controller's projection would show it: a running and a held job, two drives of one tower, an alert.</summary>
internal static class SampleFarm
{
    public const string RunningJob = "20261201-120000-aaaaaa";
    public const string HeldJob = "20261201-110000-bbbbbb";
    public const string Alert = "input-empty:T1";
    public static readonly DateTimeOffset At = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static FarmState Build(string image)
    {
        var running = ControllerStandIn.JobOf(new JobSubmitted(RunningJob, image, 100, 2, VerifyMode.Full, "DVD+R", 0, At) { Label = new LabelSpec("<img src=x onerror=alert(1)>") });
        var held = ControllerStandIn.JobOf(new JobSubmitted(HeldJob, image, 100, 1, VerifyMode.Quick, "DVD+R", 0, At.AddHours(-1))) with { Status = JobStatus.Held, Why = "held by operator ops" };
        var busy = new DriveView("T1-D1", "node-1", "T1", "SIM DVD", DriveStatus.Busy, "Writing", RunningJob, 1, 1, 49, 100, 5_540_000, null, 0) { FifoFill = 0.5, DriveBufferFill = 0.25 };
        var idle = new DriveView("T1-D2", "node-1", "T1", "SIM DVD", DriveStatus.Maintenance, "Maintenance", null, 0, 0, -1, 0, 0, "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED (0xC0AA0206)", 3);
        return FarmState.Empty with
        {
            Jobs = FarmState.Empty.Jobs.Add(RunningJob, running).Add(HeldJob, held),
            Drives = FarmState.Empty.Drives.Add(busy.DriveId, busy).Add(idle.DriveId, idle),
            Towers = FarmState.Empty.Towers.Add("T1", new TowerView("T1", 0, "DVD+R", 7, 1, "the input bin is empty")),
            Alerts = ImmutableSortedDictionary.Create<string, AlertState>(StringComparer.Ordinal)
                .Add(Alert, new AlertState(Alert, "input-empty", "T1", "the input bin is empty", At))
                .Add("drive-faulted:T1-D2", new AlertState("drive-faulted:T1-D2", "drive-faulted", "T1-D2", "in maintenance", At.AddMinutes(5))),
        };
    }
}
