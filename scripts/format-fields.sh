#!/usr/bin/env bash
# Renames every private field to _camelCase (the house field style, .editorconfig rule
# private_fields_are_underscore_camel) and turns that rule on, so the build keeps it.
#
# Run once by the lead, on main, after the parallel branches are merged (the rename touches most
# files; run on a branch it would conflict with everyone's work). It asks Roslyn's own fix for
# IDE1006 through `dotnet format`, so references would be renamed with the symbol, not by text; then
# drops the `this.` left before `_field` (IDE0003), builds, and leaves the result uncommitted.
#
# KNOWN LIMIT (tried on a throw-away copy, SDK 10.0.401, SOLUTION=src/Farm.Messages/Farm.Messages.csproj):
# `dotnet format style --diagnostics IDE1006` reports the naming violation but applies no fix, so
# step 3 fails, lists the fields still to rename, and the script puts .editorconfig back as it was.
# The rename itself still needs a Roslyn Renamer tool (Microsoft.CodeAnalysis.Workspaces.MSBuild +
# Microsoft.Build.Locator, both served by the registry) or the IDE's "fix all in solution".
#
#   scripts/format-fields.sh            # whole solution
#   SOLUTION=path/to.sln scripts/format-fields.sh
set -euo pipefail
cd "$(dirname "$0")/.."
solution=${SOLUTION:-BurnFarm.sln}

if ! grep -q '^#dotnet_naming_rule.private_fields_are_underscore_camel.severity = warning$' .editorconfig; then
    echo "format-fields: .editorconfig's private_fields_are_underscore_camel rule is not commented out (already run?)" >&2
    exit 1
fi

backup=$(mktemp)
cp .editorconfig "$backup"
trap 'status=$?; if [ $status -ne 0 ]; then cp "$backup" .editorconfig; echo "format-fields: .editorconfig restored" >&2; fi; rm -f "$backup"' EXIT

# 1. The rule on, at warning: dotnet format fixes only what is reported at the severity it is given.
sed -i 's/^#\(dotnet_naming_rule.private_fields_are_underscore_camel\.\)/\1/' .editorconfig

dotnet restore "$solution" -v q
# 2. Rename (IDE1006's code fix), then drop `this.` before the renamed fields (IDE0003).
dotnet format style "$solution" --no-restore --diagnostics IDE1006 --severity warn -v q
dotnet format style "$solution" --no-restore --diagnostics IDE0003 --severity warn -v q
# 3. Nothing left to rename, and the whole solution still builds warning-free with the rule on.
if ! dotnet format style "$solution" --no-restore --diagnostics IDE1006 --severity warn --verify-no-changes -v q; then
    echo "format-fields: some fields are still not _camelCase (see above); rename them by hand" >&2
    exit 1
fi
dotnet build "$solution" --no-restore -v q
echo "format-fields: private fields renamed to _camelCase and the rule enforced; review 'git diff --stat' and commit"
