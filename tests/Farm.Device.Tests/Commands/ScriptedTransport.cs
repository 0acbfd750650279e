using Farm.Device.Transports;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// A transport that records every command (CDB, direction, data sent) and answers with a function
/// of the CDB: a few lines of script per test instead of a simulated drive.
/// </summary>
internal sealed class ScriptedTransport(Func<byte[], Memory<byte>, ScsiResult> answer) : IScsiTransport
{
    public List<SentCommand> Sent { get; } = [];

    public string Name => "scripted";

    public int MaxTransferBytes => 64 * 1024;

    /// <summary>Answers GOOD and copies <paramref name="data"/> into a data-in buffer (the residual is what did not fit).</summary>
    public static ScsiResult Reply(Memory<byte> buffer, byte[] data)
    {
        var length = Math.Min(buffer.Length, data.Length);
        data.AsSpan(0, length).CopyTo(buffer.Span);
        return ScsiResult.Good(buffer.Length - length);
    }

    public ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var bytes = cdb.ToArray();
        Sent.Add(new SentCommand(bytes, direction, direction == DataDirection.ToDevice ? data.ToArray() : []));
        return ValueTask.FromResult(answer(bytes, data));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed record SentCommand(byte[] Cdb, DataDirection Direction, byte[] DataOut)
{
    public byte OperationCode => Cdb[0];
}
