using Farm.Device.Errors;
using Farm.Device.Mastering;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;

namespace Farm.Device.Tests.Multisession;

/// <summary>Sessions on the simulated drive: where a new one starts, what the drive then reports, and the wrong disc.</summary>
public sealed class SessionAppenderTests
{
    [Fact]
    public async Task The_second_session_starts_at_the_next_writable_address_with_its_descriptors_16_blocks_in()
    {
        await using var rig = new AppendRig(Profile.CdR);
        await rig.AppendAsync(rig.Folder("one", ("a.txt", "a"u8.ToArray())));
        var nextWritable = rig.Disc.NextWritableAddress;

        var (plan, burned) = await rig.AppendAsync(rig.Folder("two", ("b.txt", "b"u8.ToArray())));

        Assert.Equal(nextWritable, plan.Image.SessionStart);
        Assert.Equal(nextWritable, burned.Write.StartLba);
        var (_, lastSession, _, start) = await rig.Mmc.ReadSessionInfoAsync(CancellationToken.None);
        Assert.Equal(2, lastSession);
        Assert.Equal(plan.Image.SessionStart, start);
        var descriptor = new byte[2048];
        await rig.Mmc.ReadAsync((int)start + 16, descriptor, CancellationToken.None);
        Assert.Equal("CD001"u8.ToArray(), descriptor[1..6]);
        Assert.Equal(1, descriptor[0]);
    }

    [Fact]
    public async Task The_disc_stays_appendable_after_a_session_unless_it_is_closed()
    {
        await using var rig = new AppendRig(Profile.DvdPlusR);
        await rig.AppendAsync(rig.Folder("one", ("a.txt", "a"u8.ToArray())));
        Assert.Equal(DiscStatus.Incomplete, rig.Disc.Status);

        await rig.AppendAsync(rig.Folder("two", ("b.txt", "b"u8.ToArray())), close: true);

        Assert.Equal(DiscStatus.Complete, rig.Disc.Status);
        Assert.Equal(2, rig.Disc.Sessions.Count);
    }

    [Fact]
    public async Task The_new_session_writes_only_the_added_and_replaced_files()
    {
        await using var rig = new AppendRig(Profile.BdRSequential);
        var big = new byte[4 * 1024 * 1024];
        Random.Shared.NextBytes(big);
        await rig.AppendAsync(rig.Folder("one", ("big.bin", big), ("x.txt", "1"u8.ToArray())));

        var (plan, _) = await rig.AppendAsync(rig.Folder("two", ("x.txt", "2"u8.ToArray()), ("y.txt", "3"u8.ToArray())));

        Assert.Equal(new SessionImport(Added: 1, Replaced: 1, Kept: 1), plan.Image.Import);
        Assert.True(plan.Image.Blocks < big.Length / 2048, $"the session took {plan.Image.Blocks} blocks: the old file was written again");
    }

    [Fact]
    public async Task Another_disc_in_the_drive_gets_IMAPI_E_WRONGDISC_and_is_not_written()
    {
        await using var rig = new AppendRig(Profile.CdR);
        await rig.AppendAsync(rig.Folder("one", ("a.txt", "a"u8.ToArray())));
        var writer = rig.Writer();
        var plan = await SessionAppender.PlanAsync(writer, rig.Folder("two", ("b.txt", "b"u8.ToArray())), IsoMasteringOptions.Default, CancellationToken.None);
        rig.Drive.Eject();
        using var other = SimulatedDisc.Blank(Profiles.Get(Profile.CdR), "other", new MemoryMediaStore());
        rig.Drive.Insert(other);

        var refused = await Assert.ThrowsAsync<DeviceException>(() => SessionAppender.BurnAsync(writer, plan, null, CancellationToken.None));

        Assert.Equal(ImapiErrors.V1WrongDisc, refused.Error.Error);
        Assert.Equal(0x80040223u, refused.Error.Error.HResult);
        Assert.Null(other.LastRecordedAddress);
    }

    [Fact]
    public async Task A_finalised_disc_cannot_take_a_session()
    {
        await using var rig = new AppendRig(Profile.CdR);
        await rig.AppendAsync(rig.Folder("one", ("a.txt", "a"u8.ToArray())), close: true);

        var refused = await Assert.ThrowsAsync<DeviceException>(() =>
            SessionAppender.PlanAsync(rig.Writer(), rig.Folder("two", ("b.txt", "b"u8.ToArray())), IsoMasteringOptions.Default, CancellationToken.None));

        Assert.Contains("appendable", refused.Message, StringComparison.Ordinal);
    }
}
