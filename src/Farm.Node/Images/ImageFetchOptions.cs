namespace Farm.Node.Images;

/// <summary>
/// How a node gets images it cannot open at the job's path: from the controllers' HTTP API
/// (<c>farm-node --farm URL[,URL] --token TOKEN --image-cache 20GiB --fetch-images missing|always</c>)
/// into a bounded cache in its data folder.
/// </summary>
/// <param name="Controllers">The controllers' HTTP addresses (their <c>farm serve --http</c>), tried in turn.</param>
/// <param name="CacheDirectory">Where fetched images are kept (the node's <c>--data</c>/images).</param>
public sealed record ImageFetchOptions(IReadOnlyList<Uri> Controllers, string CacheDirectory)
{
    /// <summary>The default cache limit: 20 GiB.</summary>
    public const long DefaultCacheBytes = 20L * 1024 * 1024 * 1024;

    /// <summary>The API token sent as <c>Authorization: Bearer</c> (a viewer's suffices); null for a farm without <c>--auth</c>.</summary>
    public string? Token { get; init; }

    /// <summary>The most bytes of fetched images kept (<c>--image-cache</c>); least recently used go first, never one a drive is burning.</summary>
    public long CacheBytes { get; init; } = DefaultCacheBytes;

    /// <summary>Fetch every image, even one the node could open at its path (<c>--fetch-images always</c>: the path is on slow or untrusted storage).</summary>
    public bool FetchAlways { get; init; }

    /// <summary>Rounds over every controller without a byte of progress before a fetch gives up.</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>The pause between two rounds without progress.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A download that receives nothing for this long is cut and resumed.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the option that makes no sense.</summary>
    public ImageFetchOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Controllers);
        if (Controllers.Count == 0 || Controllers.Any(u => !u.IsAbsoluteUri || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException("--farm needs one or more controller addresses such as http://controller:8080 (their farm serve --http)");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(CacheDirectory);
        if (CacheBytes < 1024 * 1024)
        {
            throw new ArgumentException($"--image-cache must be at least 1MiB (it holds the images the node fetched), not {CacheBytes} bytes");
        }

        if (Attempts < 1 || RetryDelay < TimeSpan.Zero || StallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Attempts ({Attempts}) must be at least 1, RetryDelay ({RetryDelay}) not negative and StallTimeout ({StallTimeout}) positive");
        }

        return this;
    }
}
