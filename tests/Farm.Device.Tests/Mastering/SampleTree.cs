using Farm.Testing;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// A folder to master, made in a temp dir: nested folders, an empty folder, an empty file, long
/// Unicode names, a file of several MiB of random bytes, names that collide in ISO 9660 form.
/// Every modification time is fixed, so two builds of it master to the same bytes.
/// </summary>
internal sealed class SampleTree : IDisposable
{
    /// <summary>64 UCS-2 characters: the longest name Joliet holds.</summary>
    public static readonly string LongUnicodeName = ("Ünïcødé naïve café 日本語のファイル名 — Ελληνικά " + new string('x', 64))[..60] + ".txt";

    /// <summary>64 characters of ASCII, for readers that print only 8-bit character sets (isoinfo).</summary>
    public static readonly string LongAsciiName = ("A long name, kept whole in Joliet " + new string('n', 64))[..60] + ".log";

    private static readonly DateTime Fixed = new(2024, 5, 17, 12, 34, 56, DateTimeKind.Utc);

    private readonly TempDirectory _temp = new("farm-master");

    public SampleTree(int bigFileBytes = (5 * 1024 * 1024) + 123)
    {
        Root = Path.Combine(_temp.FullPath, "Release 1.0");
        Write("readme.txt", "hello, disc\n"u8.ToArray());
        Write("empty.bin", []);
        Write("docs/manual.pdf", Random(40_000, 2));
        Write("docs/deep/er/still/notes.md", "# notes\n"u8.ToArray());
        Write($"docs/{LongUnicodeName}", "unicode\n"u8.ToArray());
        Write($"docs/{LongAsciiName}", "ascii\n"u8.ToArray());
        Write("data/big.dat", Random(bigFileBytes, 3));
        Write("data/exactly-one-block.bin", Random(2048, 4));
        Write("data/Mixed Case.TXT", "a"u8.ToArray());
        Write("data/mixed case.txt", "b"u8.ToArray()); // collides with the one above in ISO 9660 form
        Directory.CreateDirectory(Path.Combine(Root, "empty folder"));
        FixTimes(Root);
    }

    /// <summary>The folder to master (its name has a space, as real ones do).</summary>
    public string Root { get; }

    /// <summary>A place outside <see cref="Root"/> for images and extracted trees.</summary>
    public string Scratch(string name) => _temp.PathOf(name);

    public void Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, Fixed);
    }

    public void Dispose() => _temp.Dispose();

    private static byte[] Random(int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        return data;
    }

    // Folders last: writing a file into a folder changes the folder's time.
    private static void FixTimes(string folder)
    {
        foreach (var sub in Directory.GetDirectories(folder))
        {
            FixTimes(sub);
        }

        Directory.SetLastWriteTimeUtc(folder, Fixed);
    }
}
