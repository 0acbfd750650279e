using System.Security.Cryptography;

namespace Farm.Controller.Demo;

/// <summary>
/// The demo's sample image when none is given: a deterministic, incompressible payload of whole
/// 2048-byte sectors (each sector starts with its own number, so a misplaced sector is visible
/// in a hex dump). Created once in the data folder and reused on the next start.
/// </summary>
public static class SampleImage
{
    public const long DefaultBytes = 32L * 1024 * 1024;

    public static string EnsureExists(string dataDirectory, long bytes = DefaultBytes)
    {
        var path = Path.Combine(dataDirectory, "sample.iso");
        if (File.Exists(path) && new FileInfo(path).Length == bytes)
        {
            return path;
        }

        var partial = path + ".partial";
        using (var output = File.Create(partial))
        {
            var sector = new byte[2048];
            var seed = new byte[32];
            for (long lba = 0; lba < bytes / sector.Length; lba++)
            {
                // SHA-256 chained from the LBA: deterministic across runs and machines, unlike Random.
                BitConverter.TryWriteBytes(seed, lba);
                for (var offset = 0; offset < sector.Length; offset += 32)
                {
                    SHA256.HashData(seed, sector.AsSpan(offset, 32));
                    seed.AsSpan(0, 8).CopyTo(seed.AsSpan(8));
                    seed[16] = (byte)offset;
                }

                BitConverter.TryWriteBytes(sector, lba);
                output.Write(sector);
            }
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
