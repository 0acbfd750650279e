namespace Farm.Device.Mastering;

/// <summary>
/// Walks the folder once and builds the tree of <see cref="IsoNode"/>s: entries sorted by real
/// name (ordinal), sizes and modification times read now, every file opened once to prove it is
/// readable (a burn must not fail half-way on a permission); FIFOs, sockets and devices are
/// refused. Symbolic links are followed; a link to a folder that contains it, a chain of links
/// that never ends and a link to nothing are refused. ECMA-119 6.8.2.1 allows 8 levels of
/// folders (the root is level 1); deeper trees are refused (relocating them needs Rock Ridge,
/// which is not built). Files over 4 GiB - 1 need several extents (interchange level 3) and are
/// refused at levels 1 and 2. UDF alone has no depth limit (<paramref name="maxLevels"/> null).
/// </summary>
internal sealed class FolderScanner(Action<string> probeRead, int interchangeLevel, int? maxLevels = FolderScanner.MaxLevels)
{
    public const int MaxLevels = 8;

    /// <summary>Opens and closes the file: throws what opening it for reading would.</summary>
    public static readonly Action<string> OpenToProve = path =>
    {
        using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
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
        var root = new IsoDirectory(real.FullName, info.Name, real.LastWriteTimeUtc, parent: null) { RelativePath = "." };
        Fill(root, real, [real.FullName]);
        return root;
    }

    private void Fill(IsoDirectory directory, DirectoryInfo source, HashSet<string> ancestors)
    {
        foreach (var entry in Entries(directory, source))
        {
            var relative = directory.Parent is null ? entry.Name : $"{directory.RelativePath}/{entry.Name}";
            var target = entry.LinkTarget is null ? entry : Resolve(entry, relative);
            if (target is DirectoryInfo folder)
            {
                directory.Children.Add(FolderNode(directory, entry.Name, relative, folder, ancestors));
            }
            else
            {
                directory.Children.Add(FileNode(entry.Name, relative, (FileInfo)target));
            }
        }
    }

    private IsoDirectory FolderNode(IsoDirectory parent, string name, string relative, DirectoryInfo source, HashSet<string> ancestors)
    {
        if (ancestors.Contains(source.FullName))
        {
            throw MasteringErrors.Input($"'{relative}' leads back to '{source.FullName}', a folder that contains it (a symbolic link loop); the image would never end: remove the link");
        }

        var child = new IsoDirectory(source.FullName, name, source.LastWriteTimeUtc, parent) { RelativePath = relative };
        if (child.Level > maxLevels)
        {
            throw MasteringErrors.Input($"folder '{relative}' is {child.Level - 1} folders deep; ISO 9660 allows {maxLevels - 1} below the root (ECMA-119 6.8.2.1): move it higher up the tree, or master UDF alone (--udf), which has no depth limit");
        }

        ancestors.Add(source.FullName);
        Fill(child, source, ancestors);
        ancestors.Remove(source.FullName);
        return child;
    }

    private IsoFile FileNode(string name, string relative, FileInfo source)
    {
        // A FIFO would block the open below, a device or socket has no size to plan with.
        if (OperatingSystem.IsLinux() && Transports.Linux.LinuxNative.FileTypeOf(source.FullName) is { } type && type != Transports.Linux.LinuxNative.RegularFile)
        {
            throw MasteringErrors.Input($"'{relative}' is not a regular file (a FIFO, socket or device); remove it from the folder");
        }

        if (interchangeLevel < 3 && source.Length > MasteringErrors.MaxFileBytes)
        {
            throw MasteringErrors.TooLarge(relative, source.Length, interchangeLevel);
        }

        try
        {
            probeRead(source.FullName);
        }
        catch (Exception denied) when (denied is UnauthorizedAccessException or IOException)
        {
            throw MasteringErrors.Input($"file '{relative}' cannot be read: {denied.Message}; fix its permissions or move it out of the folder", denied);
        }

        return new IsoFile(source.FullName, name, source.LastWriteTimeUtc, source.Length) { RelativePath = relative };
    }

    private static List<FileSystemInfo> Entries(IsoDirectory directory, DirectoryInfo source)
    {
        try
        {
            return source.EnumerateFileSystemInfos().OrderBy(entry => entry.Name, StringComparer.Ordinal).ToList();
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
}
