# Shared by start.sh and stop.sh: where the private cluster lives and how to run its binaries.
# Sourced, not executed.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pg_dir="${FARM_PG_DIR:-$repo_root/.pg/data}"
pg_port="${FARM_PG_PORT:-55432}"
pg_version="${FARM_PG_VERSION:-15}"
pg_bin="${FARM_PG_BIN:-/usr/lib/postgresql/$pg_version/bin}"
pg_log="$pg_dir/server.log"  # inside the data folder: the cluster owns nothing else

# initdb and the server refuse to run as root: as root, run them as the 'postgres' user.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

connection_string() {
    echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
}
