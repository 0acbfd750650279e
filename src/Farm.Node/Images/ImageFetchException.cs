namespace Farm.Node.Images;

/// <summary>An image could not be fetched into the node's cache; the message says why and what to do.</summary>
public sealed class ImageFetchException : Exception
{
    public ImageFetchException() { }

    public ImageFetchException(string message) : base(message) { }

    public ImageFetchException(string message, Exception inner) : base(message, inner) { }
}
