using Farm.Device.Errors;
using Farm.Messages;

namespace Farm.Device.Writing;

/// <summary>
/// IBlockRange: the sectors <see cref="StartLba"/> through <see cref="EndLba"/> (both included) of
/// an image that changed. Offsets are image sectors, which on rewritable media are disc LBAs
/// because those images are written from sector 0.
/// </summary>
public readonly record struct BlockRange(long StartLba, long EndLba)
{
    public long Blocks => EndLba - StartLba + 1;

    /// <summary>
    /// IBlockRangeList checked and put in order: every range inside an image of
    /// <paramref name="imageBlocks"/> blocks (else E_INVALIDARG), sorted, overlapping or touching
    /// ranges merged so no sector is written twice.
    /// </summary>
    public static IReadOnlyList<BlockRange> Normalize(IEnumerable<BlockRange> ranges, long imageBlocks)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var merged = new List<BlockRange>();
        foreach (var range in ranges.OrderBy(r => r.StartLba))
        {
            if (range.StartLba < 0 || range.EndLba < range.StartLba || range.EndLba >= imageBlocks)
            {
                throw new DeviceException(DeviceErrors.Of(
                    ImapiErrors.InvalidArgument,
                    Disposition.None,
                    $"block range {range.StartLba}-{range.EndLba} is not inside the image's {imageBlocks} blocks"));
            }

            if (merged.Count > 0 && range.StartLba <= merged[^1].EndLba + 1)
            {
                merged[^1] = merged[^1] with { EndLba = Math.Max(merged[^1].EndLba, range.EndLba) };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }
}
