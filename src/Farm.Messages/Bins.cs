namespace Farm.Messages;

/// <summary>The names of a tower's bins as they appear in events.</summary>
public static class Bins
{
    public const string Input = "input";
    public const string Output = "output";
    public const string Reject = "reject";
}
