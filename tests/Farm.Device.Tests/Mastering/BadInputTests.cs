using Farm.Device.Errors;
using Farm.Device.Mastering;
using Farm.Testing;

namespace Farm.Device.Tests.Mastering;

/// <summary>Every bad input is refused with a message that says what is wrong and what to do.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _temp = new("farm-master-bad");

    public void Dispose() => _temp.Dispose();

    private string Folder(params string[] files)
    {
        var root = _temp.PathOf("in");
        Directory.CreateDirectory(root);
        foreach (var file in files)
        {
            var path = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "x");
        }

        return root;
    }

    private static DeviceError Refused(string folder, IsoMasteringOptions? options = null) =>
        Assert.Throws<DeviceException>(() => IsoImagePlan.Create(folder, options ?? IsoMasteringOptions.Default)).Error;

    [Fact]
    public void A_missing_folder_is_invalid_argument_with_its_path()
    {
        var error = Refused(_temp.PathOf("nope"));

        Assert.Equal(ImapiErrors.InvalidArgument, error.Error);
        Assert.Equal($"folder '{_temp.PathOf("nope")}' does not exist; check the path", error.Message);
    }

    [Fact]
    public void A_file_given_as_the_folder_is_refused()
    {
        var file = Path.Combine(Folder("a.iso"), "a.iso");

        Assert.Contains("is a file, not a folder", Refused(file).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_file_is_named_before_anything_is_written()
    {
        // The tests run as root, whom permissions do not stop: the proof of readability is replaced.
        var root = Folder("ok.txt", "sub/secret.key");
        var error = Assert.Throws<DeviceException>(() => IsoImagePlan.Create(root, IsoMasteringOptions.Default, path =>
        {
            if (path.EndsWith("secret.key", StringComparison.Ordinal))
            {
                throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
            }
        })).Error;

        Assert.Equal(ImapiErrors.InvalidArgument, error.Error);
        Assert.StartsWith("file 'sub/secret.key' cannot be read: Access to the path", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("fix its permissions or move it out of the folder", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_link_to_a_folder_that_contains_it_is_a_loop(bool absolute)
    {
        var root = Folder("a/b/file.txt");
        Directory.CreateSymbolicLink(Path.Combine(root, "a", "b", "up"), absolute ? Path.Combine(root, "a") : "..");

        IsoTools.AssertContainsAll(Refused(root).Message, "'a/b/up' leads back to", "(a symbolic link loop); the image would never end: remove the link");
    }

    [Fact]
    public void A_chain_of_links_that_never_ends_is_refused()
    {
        var root = Folder("ok.txt");
        File.CreateSymbolicLink(Path.Combine(root, "ping"), Path.Combine(root, "pong"));
        File.CreateSymbolicLink(Path.Combine(root, "pong"), Path.Combine(root, "ping"));

        IsoTools.AssertContainsAll(Refused(root).Message, "symbolic link 'ping' cannot be followed", "it is part of a loop of links; remove the link");
    }

    [Fact]
    public void A_link_to_nothing_is_refused()
    {
        var root = Folder("ok.txt");
        File.CreateSymbolicLink(Path.Combine(root, "gone"), "/nonexistent/target");

        Assert.Equal("symbolic link 'gone' points to '/nonexistent/target', which does not exist; remove the link or restore its target", Refused(root).Message);
    }

    [Fact]
    public void Links_to_files_and_folders_are_followed()
    {
        var root = Folder("real/data.txt");
        var outside = _temp.PathOf("outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "o.txt"), "o");
        File.CreateSymbolicLink(Path.Combine(root, "alias.txt"), Path.Combine(root, "real", "data.txt"));
        Directory.CreateSymbolicLink(Path.Combine(root, "linked"), outside);

        var plan = IsoImagePlan.Create(root, IsoMasteringOptions.Default);

        Assert.Equal(3, plan.FileCount);
        Assert.Equal(3, plan.DirectoryCount);
    }

    [Theory]
    [InlineData("what?.txt", "'?'")]
    [InlineData("a:b", "':'")]
    [InlineData("back\\slash", "'\\'")]
    [InlineData("tab\there", "U+0009")]
    public void A_name_with_a_character_joliet_forbids_is_bad_joliet_name(string name, string shown)
    {
        var error = Refused(Folder($"sub/{name}"));

        Assert.Equal(ImapiErrors.V1BadJolietName, error.Error);
        Assert.Equal($"'sub/{name}' cannot be mastered: its name has the character {shown}, which Joliet forbids (control characters and */:;?\\); rename it", error.Message);
    }

    [Fact]
    public void A_name_outside_the_basic_multilingual_plane_is_refused()
    {
        var error = Refused(Folder("party 🎉.txt"));

        Assert.Equal(ImapiErrors.V1BadJolietName, error.Error);
        Assert.Contains("outside the Basic Multilingual Plane", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_64_characters_is_refused_not_truncated()
    {
        var name = new string('n', 61) + ".txt";

        var error = Refused(Folder(name));

        Assert.Equal($"'{name}' cannot be mastered: its name is 65 characters long and Joliet holds at most 64; rename it to 64 characters or fewer", error.Message);
    }

    [Fact]
    public void An_image_over_the_capacity_is_disc_full_before_writing()
    {
        var error = Refused(Folder("a.txt"), new IsoMasteringOptions { CapacityBlocks = 20 });

        Assert.Equal(ImapiErrors.V1DiscFull, error.Error);
        Assert.Equal("the image needs 26 blocks but the capacity is 20 blocks; remove files from the folder or use larger media", error.Message);
    }

    [Fact]
    public void A_tree_deeper_than_8_levels_is_refused()
    {
        var root = Folder("1/2/3/4/5/6/7/ok.txt", "1/2/3/4/5/6/7/8/too-deep.txt");

        Assert.Equal(
            "folder '1/2/3/4/5/6/7/8' is 8 folders deep; ISO 9660 allows 7 below the root (ECMA-119 6.8.2.1): move it higher up the tree, or master UDF alone (--udf), which has no depth limit",
            Refused(root).Message);
    }

    [Fact]
    public void Seven_levels_below_the_root_are_allowed()
    {
        Assert.Equal(8, IsoImagePlan.Create(Folder("1/2/3/4/5/6/7/ok.txt"), IsoMasteringOptions.Default).DirectoryCount);
    }

    [Fact]
    public void A_path_longer_than_255_characters_is_refused()
    {
        var level = new string('d', 31);
        var root = Folder(string.Join('/', Enumerable.Repeat(level, 7)) + "/" + new string('f', 30) + ".txt");

        var message = Refused(root).Message;

        Assert.Contains("has an ISO 9660 path of 257 characters and ECMA-119 6.8.2.1 allows 255; shorten the names of its folders", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_4_gib_is_refused_at_level_2_saying_the_iso_9660_limit_and_the_ways_out()
    {
        var root = Folder("small.txt");
        using (var big = File.Create(Path.Combine(root, "huge.img")))
        {
            big.SetLength(4L * 1024 * 1024 * 1024); // sparse: no 4 GiB written
        }

        Assert.Equal(
            "file 'huge.img' is 4,294,967,296 bytes; an ISO 9660 file holds at most 4,294,967,295 bytes (4 GiB - 1, ECMA-119 9.1.4) "
            + "at interchange level 2; master at interchange level 3 (the default), which records it in several extents (ECMA-119 10.3), "
            + "or as UDF (--udf), or split the file into parts smaller than 4 GiB",
            Refused(root, new IsoMasteringOptions { InterchangeLevel = 2 }).Message);
    }

    [Fact]
    public void A_fifo_is_refused_rather_than_blocking_the_planner()
    {
        var root = Folder("ok.txt");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(root, "pipe"))!)
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Assert.Equal("'pipe' is not a regular file (a FIFO, socket or device); remove it from the folder", Refused(root).Message);
    }

    [Fact]
    public void An_unsupported_interchange_level_is_refused()
    {
        Assert.Contains("interchange level 4 is not supported", Refused(Folder("a.txt"), new IsoMasteringOptions { InterchangeLevel = 4 }).Message, StringComparison.Ordinal);
    }
}
