// SampleUp and SampleDown use each other only inside method bodies (no field, signature or base
// type names the other), for the cycle check to prove it reads IL; nothing runs them.
namespace Farm.Controller.Tests.Architecture.SampleUp;

internal static class Upper
{
    public static int Count() => SampleDown.Lower.Size();
}
