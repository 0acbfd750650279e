namespace Farm.Testing;

/// <summary>A fresh folder under the system's temporary path, deleted with everything in it on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "farm-test")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        FullPath = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(FullPath);
    }

    /// <summary>The folder's absolute path.</summary>
    public string FullPath { get; }

    /// <summary>A path inside the folder (the file need not exist).</summary>
    public string PathOf(string relativePath) => Path.Combine(FullPath, relativePath);

    public void Dispose()
    {
        // A test that already removed its folder is not a failure of the clean-up.
        if (Directory.Exists(FullPath))
        {
            Directory.Delete(FullPath, recursive: true);
        }
    }
}
