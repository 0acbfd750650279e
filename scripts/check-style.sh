#!/usr/bin/env bash
# Proves the build enforces each rule of .editorconfig that is at severity "warning": builds a
# throw-away probe project (under src/, so every section of .editorconfig applies) whose code breaks
# each rule once, and checks that the build reports every rule id (and every naming rule by the
# symbol it names). Exit 0 when all are caught. Takes one small build.
set -euo pipefail
cd "$(dirname "$0")/.."
probe=$(mktemp -d src/.style-probe.XXXXXX)
trap 'rm -rf "$probe"' EXIT

cat > "$probe/StyleProbe.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <!-- Warnings as errors would stop at the first file; every rule is to be reported. -->
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <NoWarn>$(NoWarn);CA1050;CA1812;CA1822;CA1823;CA1805;CA1051;CA1715;CA1720;CA1716;CA1031;CA1305;CS0168;CS0219;CS0169;CS0414;CS8618;CS8603;CS1998;IDE0060</NoWarn>
  </PropertyGroup>
</Project>
XML

# IDE0161 (block-scoped namespace) and IDE0065 (using inside it).
cat > "$probe/BlockNamespace.cs" <<'CS'
namespace StyleProbe.Block
{
    using System.Text;

    public static class Holder
    {
        public static StringBuilder Make() => new();
    }
}
CS

cat > "$probe/Violations.cs" <<'CS'
using System.Text;

namespace StyleProbe;

public interface Shape { }                                  // IDE1006: interface without I

public sealed class lowerType { }                           // IDE1006: type not PascalCase

public sealed class Generic<Item> { }                       // IDE1006: type parameter without T

public sealed class Probe
{
    public int publicField;                                 // IDE1006: public field not PascalCase
    private const int smallConst = 1;                       // IDE1006: const not PascalCase
    private int notReadonly;                                // IDE0044: never changes after the constructor
    private readonly int unread;                            // IDE0052: assigned, never read
    private int back;

    public Probe(int value)
    {
        notReadonly = value;
        unread = value;
    }

    int NoModifier() => notReadonly;                        // IDE0040: accessibility not written

    static public int WrongOrder() => smallConst;           // IDE0036: modifier order

    public int Block { get { return notReadonly; } }        // IDE0025: property with a block body

    public int Accessors { get { return back; } set { back = value; } } // IDE0027: accessors with block bodies

    public int lowerMember() => 1;                          // IDE1006: method not PascalCase

    public int Parameter(int BadParameter) => BadParameter; // IDE1006: parameter not camelCase

    public async Task<int> NoSuffix() => await Task.FromResult(1); // IDE1006: async without Async (src/ only)

    public int Statements(object? o, string? s, int[] list)
    {
        var BadLocal = 1;                                   // locals are not checked (PascalCase local constants)
        if (o == null) return 0;                            // IDE0011: no braces
        StringBuilder builder = new StringBuilder();        // IDE0007: var when the type is apparent
        var count = 2;
        var total=count+BadLocal;                           // IDE0055: formatting
        var text = s != null ? s : "";                      // IDE0029: ?? instead
        int? length = s?.Length;
        var asString = o as string;                         // IDE0019: pattern instead of as + null check
        if (asString != null)
        {
            total += asString.Length;
        }

        if (!(o is string))                                 // IDE0083: not pattern
        {
            total++;
        }

        var twice = list.Select(x => { return x * 2; });    // IDE0053: lambda with a block body
        total += NoModifier();
        return total + text.Length + (length ?? 0) + builder.Length + twice.Count() + WrongOrder();
    }

    private int Unused() => 3;                              // IDE0051: unused private member
}
CS

out=$(dotnet build "$probe/StyleProbe.csproj" -v q 2>&1 || true)
missing=0
for id in IDE0161 IDE0065 IDE0011 IDE0007 IDE0055 IDE0029 IDE0019 IDE0083 IDE0053 IDE0025 IDE0027 IDE0040 IDE0036 IDE0044 IDE0051 IDE0052; do
    grep -q "warning $id" <<<"$out" || { echo "check-style: the build did not report $id"; missing=1; }
done
for symbol in Shape lowerType Item publicField smallConst lowerMember BadParameter NoSuffix; do
    # Some messages do not name the symbol ("Missing prefix: 'I'"): match the line it is declared on.
    line=$(grep -n "[ <(]$symbol[ >(;,=)]" "$probe/Violations.cs" | head -1 | cut -d: -f1)
    grep -q "Violations.cs($line,[0-9]*): warning IDE1006" <<<"$out" || { echo "check-style: the build did not report IDE1006 for $symbol"; missing=1; }
done
if [ "$missing" -ne 0 ]; then
    grep -E "error|warning IDE" <<<"$out" | sed 's/ \[.*//' | sort -u | head -60
    exit 1
fi
echo "check-style: every enforced rule fails the build (16 rule ids, 8 naming rules)"
