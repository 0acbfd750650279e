using System.Text;
using Farm.Device.Mastering;

namespace Farm.Device.Tests.Mastering;

/// <summary>ISO 9660 names of the primary tree: d-characters, 8.3 or level 2, collisions made unique deterministically, 9.3 order.</summary>
public sealed class PrimaryNamesTests
{
    private static readonly DateTimeOffset When = DateTimeOffset.UnixEpoch;

    private static string[] Names(int level, params string[] names)
    {
        var root = new IsoDirectory("/r", "r", When, parent: null);
        var nodes = names.Select(IsoNode (name) => name.EndsWith('/')
            ? new IsoDirectory("/r/" + name, name.TrimEnd('/'), When, root)
            : new IsoFile(null, name, When, 1, root)).ToList();
        PrimaryNames.Assign(nodes, level);
        return [.. nodes.Select(node => Encoding.ASCII.GetString(node.Identifier(IsoTree.Primary)))];
    }

    [Fact]
    public void Level_2_keeps_long_names_in_d_characters_with_the_version()
    {
        Assert.Equal(
            ["README.;1", "MY_REPORT__FINAL_.PDF;1", "ARCHIVE_TAR.GZ;1", "_BASHRC.;1", "A_FOLDER_WITH_A_VERY_LONG_NAME_"],
            Names(2, "README", "my report (final).pdf", "archive.tar.gz", ".bashrc", "a folder with a very long name that goes on/"));
    }

    [Fact]
    public void Level_1_is_8_3()
    {
        Assert.Equal(["MY_REPOR.PDF;1", "INDEX.HTM;1", "LONGFOLD"], Names(1, "my report.pdf", "index.html", "longfolder name/"));
    }

    [Fact]
    public void Level_2_cuts_name_and_extension_to_30_together()
    {
        var name = Names(2, new string('a', 40) + ".extension-long")[0];

        Assert.Equal(new string('A', 20) + ".EXTENSION_;1", name);
    }

    [Fact]
    public void Collisions_give_way_in_the_order_of_the_real_names()
    {
        Assert.Equal(["A_B.TXT;1", "A_B_1.TXT;1", "A_B_2.TXT;1"], Names(2, "A B.txt", "a b.txt", "a_b.txt"));
        Assert.Equal(["LONGNAME.TXT;1", "LONGNA_1.TXT;1"], Names(1, "longname1.txt", "longname2.txt"));
    }

    [Fact]
    public void Records_sort_by_name_then_extension_as_9_3_says_not_by_plain_bytes()
    {
        var identifiers = new[] { "A.B1;1", "A.B;1", "AB.;1", "A" }.Select(Encoding.ASCII.GetBytes).ToList();

        identifiers.Sort((left, right) => PrimaryNames.Compare(left, right));

        Assert.Equal(["A", "A.B;1", "A.B1;1", "AB.;1"], identifiers.Select(Encoding.ASCII.GetString));
    }

    [Fact]
    public void Primary_records_take_the_9_3_order_while_the_children_keep_the_real_name_order()
    {
        // Real names (ordinal): '-' sorts before '.'; 9.3 compares "A" padded with spaces, which sorts before "A_B".
        var root = new IsoDirectory("/r", "r", When, parent: null);
        root.Children.AddRange([new IsoFile(null, "a-b.txt", When, 1, root), new IsoFile(null, "a.txt", When, 1, root)]);

        IsoLayout.Name(root, interchangeLevel: 2);

        Assert.Equal(["A.TXT;1", "A_B.TXT;1"], root.In(IsoTree.Primary).Ordered.Select(node => Encoding.ASCII.GetString(node.Identifier(IsoTree.Primary))));
        Assert.Equal(["a-b.txt", "a.txt"], root.Children.Select(node => node.Name));
        Assert.Equal(["a-b.txt", "a.txt"], root.In(IsoTree.Joliet).Ordered.Select(node => node.Name));
    }

    [Fact]
    public void Primary_records_keep_the_real_name_order_when_9_3_agrees_with_it()
    {
        var root = new IsoDirectory("/r", "r", When, parent: null);
        root.Children.AddRange([new IsoFile(null, "record-000.dat", When, 1, root), new IsoFile(null, "record-001.dat", When, 1, root), new IsoDirectory("/r/sub", "sub", When, root)]);

        IsoLayout.Name(root, interchangeLevel: 2);

        Assert.Equal(["RECORD_000.DAT;1", "RECORD_001.DAT;1", "SUB"], root.In(IsoTree.Primary).Ordered.Select(node => Encoding.ASCII.GetString(node.Identifier(IsoTree.Primary))));
    }
}
