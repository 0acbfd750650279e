namespace Farm.Messages;

/// <summary>How a burned disc is checked (IMAPI2 leaves this to the application).</summary>
public enum VerifyMode
{
    /// <summary>No read-back.</summary>
    None = 0,

    /// <summary>Disc and track information plus a sample of sectors.</summary>
    Quick = 1,

    /// <summary>Every sector of the image read back and hashed (SHA-256).</summary>
    Full = 2,
}
