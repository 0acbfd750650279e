using Microsoft.Extensions.Logging;

namespace Farm.Node.Images;

/// <summary>
/// The node's cache of fetched images (<see cref="ImageFetchOptions.CacheDirectory"/>, one file per
/// SHA-256): an image a job needs and the node cannot open at its path is fetched once (drives that
/// ask while it downloads wait for the same download), verified, and kept. The cache stays under
/// <see cref="ImageFetchOptions.CacheBytes"/> by removing the least recently used images, never one
/// that is pinned (a drive is burning it: <see cref="AcquireAsync"/> pins until the lease is disposed).
/// </summary>
public sealed partial class ImageStore : IDisposable
{
    private const string PartialSuffix = ".partial";

    private readonly ImageFetchOptions _options;
    private readonly ImageDownloader _downloader;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _fetching = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _reserved = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _fetches;
    private long _bytesReceived;

    public ImageStore(ImageFetchOptions options, HttpClient http, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        _options = options.Validate();
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _downloader = new ImageDownloader(options, http, time, logger);
        Directory.CreateDirectory(options.CacheDirectory);

        // What an earlier run fetched is still good (it was verified before it got its name); after
        // a restart the images count as used when they were fetched.
        foreach (var file in new DirectoryInfo(options.CacheDirectory).EnumerateFiles())
        {
            if (IsSha256(file.Name))
            {
                _entries[file.Name] = new Entry(file.Length, file.LastWriteTimeUtc, 0);
            }
        }
    }

    public ImageFetchOptions Options => _options;

    /// <summary>Images this node downloaded since it started (not those it found in its cache).</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    /// <summary>Bytes received over the network since the node started.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Bytes of the images in the cache.</summary>
    public long CachedBytes
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Sum(e => e.Bytes);
            }
        }
    }

    /// <summary>The hashes of the cached images, least recently used first.</summary>
    public IReadOnlyList<string> Cached
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.OrderBy(e => e.Value.LastUsed).Select(e => e.Key)];
            }
        }
    }

    /// <summary>Whether a job's image must be fetched: always with <c>--fetch-images always</c>, else when the path cannot be opened for reading.</summary>
    public bool MustFetch(string imagePath)
    {
        if (_options.FetchAlways)
        {
            return true;
        }

        try
        {
            using var probe = new FileStream(imagePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
            return false;
        }
        catch (Exception cannot) when (cannot is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return true;
        }
    }

    /// <summary>
    /// The image of <paramref name="sha256"/> in the cache, fetched first if it is not there, pinned
    /// until the lease is disposed. Throws <see cref="ImageFetchException"/> when it cannot be had.
    /// </summary>
    public async Task<ImageLease> AcquireAsync(string sha256, CancellationToken cancellationToken)
    {
        if (!IsSha256(sha256))
        {
            throw new ImageFetchException($"'{sha256}' is not an image's SHA-256 (64 lower-case hex digits)");
        }

        while (true)
        {
            Task download;
            lock (_gate)
            {
                var path = PathOf(sha256);
                if (_entries.TryGetValue(sha256, out var entry) && File.Exists(path))
                {
                    // The file is left as it is: its modification time is part of the key by which
                    // drives share one read of it (SharedImageCache), so use is kept in memory only.
                    _entries[sha256] = entry with { LastUsed = _time.GetUtcNow().UtcDateTime, Pins = entry.Pins + 1 };
                    return new ImageLease(this, sha256, path);
                }

                _entries.Remove(sha256);
                if (!_fetching.TryGetValue(sha256, out download!))
                {
                    download = FetchAsync(sha256);
                    _fetching[sha256] = download;
                }
            }

            await download.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    internal void Release(string sha256)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(sha256, out var entry))
            {
                _entries[sha256] = entry with { Pins = Math.Max(0, entry.Pins - 1) };
            }
        }
    }

    private async Task FetchAsync(string sha256)
    {
        await Task.Yield(); // the caller holds the lock: the download runs outside it
        var started = _time.GetTimestamp();
        try
        {
            var controllers = string.Join(",", _options.Controllers);
            LogFetching(_logger, sha256, controllers);
            var outcome = await _downloader.DownloadAsync(sha256, PathOf(sha256) + PartialSuffix, PathOf(sha256), bytes => Reserve(sha256, bytes), _stopping.Token).ConfigureAwait(false);
            var count = Interlocked.Increment(ref _fetches);
            Interlocked.Add(ref _bytesReceived, outcome.Received);
            lock (_gate)
            {
                _reserved.Remove(sha256);
                _entries[sha256] = new Entry(outcome.Bytes, _time.GetUtcNow().UtcDateTime, 0);
            }

            var seconds = _time.GetElapsedTime(started).TotalSeconds;
            LogFetched(_logger, sha256, outcome.Bytes, outcome.From, seconds, outcome.Resumes, count);
        }
        finally
        {
            lock (_gate)
            {
                _reserved.Remove(sha256);
                _fetching.Remove(sha256);
            }
        }
    }

    /// <summary>Makes room for an image of <paramref name="bytes"/>: least recently used, unpinned images go first.</summary>
    private void Reserve(string sha256, long bytes)
    {
        lock (_gate)
        {
            if (bytes > _options.CacheBytes)
            {
                throw new ImageFetchException($"image {sha256} is {bytes:N0} bytes, more than the node's image cache holds ({_options.CacheBytes:N0}); start farm-node with a larger --image-cache");
            }

            _reserved.Remove(sha256);
            long Used() => _entries.Values.Sum(e => e.Bytes) + _reserved.Values.Sum();
            foreach (var (victim, entry) in _entries.Where(e => e.Value.Pins == 0).OrderBy(e => e.Value.LastUsed).ToList())
            {
                if (Used() + bytes <= _options.CacheBytes)
                {
                    break;
                }

                _entries.Remove(victim);
                File.Delete(PathOf(victim));
                LogEvicted(_logger, victim, entry.Bytes);
            }

            if (Used() + bytes > _options.CacheBytes)
            {
                throw new ImageFetchException(
                    $"image {sha256} ({bytes:N0} bytes) does not fit in the node's image cache ({_options.CacheBytes:N0} bytes): the images in it are being burned; "
                    + "it is fetched again once a burn ends, or start farm-node with a larger --image-cache");
            }

            _reserved[sha256] = bytes;
        }
    }

    private string PathOf(string sha256) => Path.Combine(_options.CacheDirectory, sha256);

    private static bool IsSha256(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private sealed record Entry(long Bytes, DateTime LastUsed, int Pins);

    [LoggerMessage(EventId = 2251, Level = LogLevel.Information, Message = "Image {Sha256}: fetching from {Controllers} (the node cannot use the job's path)")]
    private static partial void LogFetching(ILogger logger, string sha256, string controllers);

    [LoggerMessage(EventId = 2252, Level = LogLevel.Information, Message = "Image {Sha256}: fetched {Bytes} bytes from {From} in {Seconds:F2} s ({Resumes} resumes), SHA-256 verified; images fetched by this node: {Fetches}")]
    private static partial void LogFetched(ILogger logger, string sha256, long bytes, Uri from, double seconds, int resumes, int fetches);

    [LoggerMessage(EventId = 2253, Level = LogLevel.Information, Message = "Image {Sha256}: removed from the node's image cache ({Bytes} bytes, least recently used) to make room")]
    private static partial void LogEvicted(ILogger logger, string sha256, long bytes);
}

/// <summary>A pinned image in the node's cache: not removed while the lease is held.</summary>
public sealed class ImageLease : IDisposable
{
    private readonly ImageStore _store;
    private readonly string _sha256;
    private int _released;

    internal ImageLease(ImageStore store, string sha256, string path)
    {
        _store = store;
        _sha256 = sha256;
        Path = path;
    }

    /// <summary>The image's file in the cache.</summary>
    public string Path { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _store.Release(_sha256);
        }
    }
}
