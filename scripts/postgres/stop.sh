#!/usr/bin/env bash
# Stops the private cluster started by start.sh (same FARM_PG_DIR / FARM_PG_PORT). Idempotent.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ ! -f "$pg_dir/PG_VERSION" ]; then
    echo "no cluster in $pg_dir" >&2
    exit 0
fi
if as_owner "$pg_bin/pg_ctl" status -D "$pg_dir" >/dev/null 2>&1; then
    as_owner "$pg_bin/pg_ctl" stop -D "$pg_dir" -m fast -w
else
    echo "PostgreSQL in $pg_dir is not running" >&2
fi
