namespace Farm.Device.Tests.Commands;

/// <summary>Known-good bytes written the way the specs and libburn print them: "5A 00 2A 00 ...".</summary>
internal static class Bytes
{
    public static byte[] Of(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>Compares as hex strings so a failure shows both layouts side by side.</summary>
    public static void Equal(string expectedHex, byte[] actual) =>
        Assert.Equal(Convert.ToHexString(Of(expectedHex)), Convert.ToHexString(actual));
}
