namespace Farm.Device.Transports.Windows;

/// <summary>What the SPTI transport makes of STORAGE_ADAPTER_DESCRIPTOR; plain arithmetic, tested on every OS.</summary>
internal static class SptiAdapterLimits
{
    /// <summary>Used when the adapter does not say (the common 64 KiB every ATAPI adapter takes).</summary>
    public const int FallbackMaxTransferBytes = 64 * 1024;

    /// <summary>
    /// The transfer cap and buffer alignment from the adapter's descriptor: the cap in whole
    /// 2048-byte blocks (a WRITE never splits a sector), the alignment AlignmentMask + 1 but at
    /// least 8 (NativeMemory's minimum) and at most a page.
    /// </summary>
    public static (int MaxTransfer, int Alignment) From(uint maximumTransferLength, uint alignmentMask)
    {
        var max = maximumTransferLength is 0 or > 16u * 1024 * 1024 ? FallbackMaxTransferBytes : (int)maximumTransferLength / 2048 * 2048;
        var alignment = (int)Math.Clamp(alignmentMask + 1L, 8, 4096);
        if ((alignment & (alignment - 1)) != 0)
        {
            alignment = 4096;
        }

        return (max == 0 ? 2048 : max, alignment);
    }
}
