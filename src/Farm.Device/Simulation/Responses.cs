using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>How every simulated command hands its response to the host.</summary>
internal static class Responses
{
    /// <summary>Copies a response into the host's buffer, honouring the allocation length (SPC-4).</summary>
    public static ScsiResult Respond(ReadOnlySpan<byte> response, int allocationLength, Span<byte> data)
    {
        int count = Math.Min(Math.Min(response.Length, allocationLength), data.Length);
        response[..count].CopyTo(data);
        return ScsiResult.Good(data.Length - count);
    }
}
