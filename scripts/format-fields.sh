#!/usr/bin/env bash
# Renames every private field to _camelCase (the house field style, .editorconfig rule
# private_fields_are_underscore_camel), drops the `this.` left redundant before `_field`, turns the
# rule on so the build keeps it, and builds the solution warning-free (warnings are errors).
#
# Run by the lead on main once the parallel branches are merged (the rename touches most files).
# `dotnet format` cannot do it: it reports IDE1006 but applies no rename. So the rename is
# scripts/tools/FieldRenamer, a small Roslyn tool (not in BurnFarm.sln) that opens the solution with
# MSBuildWorkspace and renames each field with Renamer.RenameSymbolAsync, so every reference changes
# (partial files, files linked into two projects, nameof, crefs). A field whose new name is taken
# (a member `_name` already exists) is reported as a COLLISION, left as it is, and the script stops.
#
# Safe to run again: a second run finds nothing to rename and only builds. On failure it exits
# non-zero and leaves the tree as it is for a look; `git checkout -- . && git clean -fd src tests`
# undoes it. Nothing is committed; review `git diff --stat` and commit.
#
#   scripts/format-fields.sh                  # BurnFarm.sln, Release
#   SOLUTION=other.sln CONFIGURATION=Debug scripts/format-fields.sh
#   scripts/format-fields.sh --dry-run        # list the renames and collisions, change nothing
set -euo pipefail
cd "$(dirname "$0")/.."
solution=${SOLUTION:-BurnFarm.sln}
configuration=${CONFIGURATION:-Release}
tool=scripts/tools/FieldRenamer
started=$SECONDS

fail() {
    echo "format-fields: FAILED: $*" >&2
    echo "format-fields: the tree is left as it is; undo with: git checkout -- . && git clean -fd src tests" >&2
    exit 1
}

dry_run=""
if [ "${1:-}" = "--dry-run" ]; then
    dry_run="--dry-run"
elif [ $# -gt 0 ]; then
    echo "usage: scripts/format-fields.sh [--dry-run]" >&2
    exit 2
fi

# 1. The tool, and the solution's packages (MSBuildWorkspace reads the restored project.assets.json).
dotnet build "$tool" -c Release -nologo -v quiet || fail "the FieldRenamer tool did not build"
dotnet restore "$solution" -v quiet || fail "dotnet restore $solution"

# 2. Rename (and drop redundant `this.`). Exit 2 means collisions or fields it could not find again.
dotnet "$tool/bin/Release/net10.0/FieldRenamer.dll" "$solution" $dry_run \
    || fail "FieldRenamer left fields not renamed (COLLISION / NOT FOUND lines above); rename them by hand, then run this again"
if [ -n "$dry_run" ]; then
    exit 0
fi

# 3. The rule on (idempotent: both edits match nothing the second time).
sed -i -e '/^#   pending: /d' \
       -e 's/^#\(dotnet_naming_rule\.private_fields_are_underscore_camel\.\)/\1/' .editorconfig
grep -q '^dotnet_naming_rule.private_fields_are_underscore_camel.severity = warning$' .editorconfig \
    || fail ".editorconfig has no private_fields_are_underscore_camel rule to turn on"

# 4. Every project builds with the rule enforced (TreatWarningsAsErrors: an IDE1006 left fails here).
dotnet build "$solution" -c "$configuration" --no-restore -nologo -v quiet \
    || fail "dotnet build $solution -c $configuration (errors above)"

echo "format-fields: done in $((SECONDS - started))s: private fields are _camelCase and the rule is enforced"
echo "format-fields: review 'git diff --stat', run the tests, and commit"
