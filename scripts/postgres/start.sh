#!/usr/bin/env bash
# Starts a PRIVATE PostgreSQL cluster for development and tests: its own data folder, its own
# port, 127.0.0.1 only, trust authentication. Never touches a system cluster.
#
#   scripts/postgres/start.sh            # data in <repo>/.pg/data, port 55432
#   FARM_PG_DIR=/tmp/pg FARM_PG_PORT=55433 scripts/postgres/start.sh
#
# Idempotent: if the cluster is already running, it says so and prints the connection string.
# The last line of output is always the connection string (callers may read it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ ! -x "$pg_bin/initdb" ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "PostgreSQL $pg_version not found in $pg_bin: installing the Debian package 'postgresql'" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 \
            || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; }
    else
        echo "PostgreSQL $pg_version not found in $pg_bin. Install it as root:" >&2
        echo "    apt-get install -y postgresql" >&2
        echo "(or point FARM_PG_BIN at the folder holding initdb and pg_ctl)" >&2
        exit 1
    fi
fi
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "running as root needs the 'postgres' user (the Debian package creates it)" >&2
    exit 1
fi

mkdir -p "$pg_dir"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$pg_dir"
fi
chmod 700 "$pg_dir"

if [ ! -f "$pg_dir/PG_VERSION" ]; then
    echo "initdb into $pg_dir" >&2
    as_owner "$pg_bin/initdb" -D "$pg_dir" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2
fi

if as_owner "$pg_bin/pg_ctl" status -D "$pg_dir" >/dev/null 2>&1; then
    echo "PostgreSQL already running from $pg_dir on port $pg_port" >&2
else
    if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; then
        echo "port $pg_port already has a PostgreSQL that is not the cluster in $pg_dir;" >&2
        echo "choose another port: FARM_PG_PORT=55433 $0" >&2
        exit 1
    fi
    # Sockets go into the data folder, so the cluster needs nothing outside it (no /var/run).
    as_owner "$pg_bin/pg_ctl" start -D "$pg_dir" -l "$pg_log" -w -t 60 \
        -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pg_dir -c max_connections=200 ${FARM_PG_OPTIONS:-}" >&2 || {
        echo "pg_ctl start failed; the server log ($pg_log) says:" >&2
        tail -n 30 "$pg_log" >&2 || true
        exit 1
    }
    echo "PostgreSQL started from $pg_dir on port $pg_port (log: $pg_log)" >&2
fi

# Started is not yet ready for every client: wait until it answers on the TCP port.
for _ in $(seq 1 60); do
    if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port"; then
        connection_string
        exit 0
    fi
    sleep 0.5
done
echo "PostgreSQL in $pg_dir does not answer on 127.0.0.1:$pg_port" >&2
exit 1
