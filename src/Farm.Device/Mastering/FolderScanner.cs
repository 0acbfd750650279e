using System.IO.Enumeration;
using Farm.Device.Transports.Linux;

namespace Farm.Device.Mastering;

/// <summary>
/// Walks the folder once and builds the tree of <see cref="IsoNode"/>s: entries sorted by real
/// name (ordinal), sizes and modification times read now, every file proven readable (a burn must
/// not fail half-way on a permission); FIFOs, sockets and devices are refused. Symbolic links are followed; a link to a folder that contains it, a chain of links
/// that never ends and a link to nothing are refused. ECMA-119 6.8.2.1 allows 8 levels of
/// folders (the root is level 1); deeper trees are refused (relocating them needs Rock Ridge,
/// which is not built). Files over 4 GiB - 1 need several extents (interchange level 3) and are
/// refused at levels 1 and 2. UDF alone has no depth limit (<paramref name="maxLevels"/> null).
/// </summary>
internal sealed class FolderScanner(Action<string> probeRead, int interchangeLevel, int? maxLevels = FolderScanner.MaxLevels)
{
    public const int MaxLevels = 8;

    /// <summary>
    /// Throws what opening the file for reading would. On Linux access(2) answers that without
    /// opening the file (a FileStream's open, fstat, flock and close); elsewhere the file is opened.
    /// </summary>
    public static readonly Action<string> ProveReadable = path =>
    {
        if (!OperatingSystem.IsLinux())
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            return;
        }

        var errno = LinuxNative.ReadableErrno(path);
        if (errno != 0)
        {
            throw errno is LinuxNative.EAccess or LinuxNative.EPerm
                ? new UnauthorizedAccessException($"Access to the path '{path}' is denied.")
                : new IOException($"{path}: {LinuxNative.Describe(errno)}");
        }
    };

    public IsoDirectory Scan(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var info = new DirectoryInfo(Path.GetFullPath(folder));
        if (!info.Exists)
        {
            throw MasteringErrors.Input(File.Exists(info.FullName)
                ? $"'{folder}' is a file, not a folder; give the folder to master (an image file is burned as it is)"
                : $"folder '{folder}' does not exist; check the path");
        }

        var real = info.LinkTarget is null ? info : (DirectoryInfo)Resolve(info, folder);
        var root = new IsoDirectory(real.FullName, info.Name, real.LastWriteTimeUtc, parent: null);
        Fill(root, [real.FullName]);
        return root;
    }

    private void Fill(IsoDirectory directory, HashSet<string> ancestors)
    {
        var names = Names(directory);
        directory.ReserveChildNames(names.Sum(name => name.Length));
        foreach (var name in names)
        {
            var entry = Entry.Of(Path.Join(directory.SourcePath, name), () => Relative(directory, name));
            if (entry.IsDirectory)
            {
                directory.Children.Add(FolderNode(directory, name, entry, ancestors));
            }
            else
            {
                directory.Children.Add(FileNode(directory, name, entry));
            }
        }
    }

    private static string Relative(IsoDirectory directory, string name) => directory.Parent is null ? name : $"{directory.RelativePath}/{name}";

    private IsoDirectory FolderNode(IsoDirectory parent, string name, Entry source, HashSet<string> ancestors)
    {
        if (ancestors.Contains(source.Path))
        {
            throw MasteringErrors.Input($"'{Relative(parent, name)}' leads back to '{source.Path}', a folder that contains it (a symbolic link loop); the image would never end: remove the link");
        }

        var child = new IsoDirectory(source.Path, name, source.ModifiedUtc, parent);
        if (child.Level > maxLevels)
        {
            throw MasteringErrors.Input($"folder '{child.RelativePath}' is {child.Level - 1} folders deep; ISO 9660 allows {maxLevels - 1} below the root (ECMA-119 6.8.2.1): move it higher up the tree, or master UDF alone (--udf), which has no depth limit");
        }

        ancestors.Add(source.Path);
        Fill(child, ancestors);
        ancestors.Remove(source.Path);
        return child;
    }

    private IsoFile FileNode(IsoDirectory parent, string name, Entry source)
    {
        // A FIFO would block the open below, a device or socket has no size to plan with.
        if (!source.IsRegular)
        {
            throw MasteringErrors.Input($"'{Relative(parent, name)}' is not a regular file (a FIFO, socket or device); remove it from the folder");
        }

        if (interchangeLevel < 3 && source.Size > MasteringErrors.MaxFileBytes)
        {
            throw MasteringErrors.TooLarge(Relative(parent, name), source.Size, interchangeLevel);
        }

        try
        {
            probeRead(source.Path);
        }
        catch (Exception denied) when (denied is UnauthorizedAccessException or IOException)
        {
            throw MasteringErrors.Input($"file '{Relative(parent, name)}' cannot be read: {denied.Message}; fix its permissions or move it out of the folder", denied);
        }

        return new IsoFile(source.Linked ? source.Path : null, name, source.ModifiedUtc, source.Size, parent);
    }

    /// <summary>The folder's entry names, sorted (ordinal); nothing else is asked of the file system here.</summary>
    private static List<string> Names(IsoDirectory directory)
    {
        try
        {
            var names = new FileSystemEnumerable<string>(
                directory.SourcePath,
                (ref entry) => entry.FileName.ToString(),
                new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false }).ToList();
            names.Sort(StringComparer.Ordinal);
            return names;
        }
        catch (Exception denied) when (denied is UnauthorizedAccessException or IOException)
        {
            throw MasteringErrors.Input($"folder '{directory.RelativePath}' cannot be listed: {denied.Message}; fix its permissions or move it out of the folder", denied);
        }
    }

    /// <summary>A symbolic link's final target; a loop or a missing target is an error.</summary>
    private static FileSystemInfo Resolve(FileSystemInfo link, string relative)
    {
        FileSystemInfo? target;
        try
        {
            target = link.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException loop)
        {
            throw MasteringErrors.Input($"symbolic link '{relative}' cannot be followed ({loop.Message}): it is part of a loop of links; remove the link", loop);
        }

        // The returned info has the link's type, not the target's: ask the file system again.
        return target is null ? Missing(link, relative)
            : Directory.Exists(target.FullName) ? new DirectoryInfo(target.FullName)
            : File.Exists(target.FullName) ? new FileInfo(target.FullName)
            : Missing(link, relative);
    }

    private static FileSystemInfo Missing(FileSystemInfo link, string relative) =>
        throw MasteringErrors.Input($"symbolic link '{relative}' points to '{link.LinkTarget}', which does not exist; remove the link or restore its target");

    /// <summary>
    /// What the planner needs of an entry, links followed: on Linux one statx(2), which also tells
    /// a FIFO, socket or device apart (System.IO's FileInfo costs an lstat, a readlink for its
    /// link target and a statx for the type); a link goes through System.IO's resolution.
    /// </summary>
    private readonly record struct Entry(string Path, bool IsDirectory, bool IsRegular, long Size, DateTime ModifiedUtc, bool Linked)
    {
        public static Entry Of(string path, Func<string> relative)
        {
            if (OperatingSystem.IsLinux() && LinuxNative.StatusOf(path, out _) is { } status && status.Type != LinuxNative.SymbolicLinkType)
            {
                return FromStatus(path, status, linked: false);
            }

            FileSystemInfo info = System.IO.Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (info.LinkTarget is null)
            {
                return FromInfo(info, linked: false);
            }

            var target = Resolve(info, relative());
            return OperatingSystem.IsLinux() && LinuxNative.StatusOf(target.FullName, out _) is { } final
                ? FromStatus(target.FullName, final, linked: true)
                : FromInfo(target, linked: true);
        }

        private static Entry FromStatus(string path, LinuxNative.EntryStatus status, bool linked) => new(
            path, status.Type == LinuxNative.DirectoryType, status.Type == LinuxNative.RegularFile, status.Size, status.ModifiedUtc, linked);

        private static Entry FromInfo(FileSystemInfo info, bool linked) => info is FileInfo file
            ? new(file.FullName, false, true, file.Length, file.LastWriteTimeUtc, linked)
            : new(info.FullName, true, false, 0, info.LastWriteTimeUtc, linked);
    }
}
