// See SampleUp.cs: the other half of a cycle made only inside method bodies.
namespace Farm.Controller.Tests.Architecture.SampleDown;

internal static class Lower
{
    public static int Size() => SampleUp.Upper.Count() + 1;
}
