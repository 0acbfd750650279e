# Sourced by benchmarks/scale.sh and benchmarks/farmsize.sh: the farm's store for a run in $WORK.
# PG=yes: a private PostgreSQL cluster (scripts/postgres/start.sh, own folder and port, stopped on
# exit) with database $DATABASE; else SQLite in $WORK/farm.db. Sets STORE, and FARM_PG_PORT for PostgreSQL.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
if [ "$PG" = yes ]; then
  export FARM_PG_DIR="$WORK/pg/data" FARM_PG_PORT
  FARM_PG_PORT=$(free_port)
  scripts/postgres/start.sh > "$WORK/pg.log" 2>&1 || { cat "$WORK/pg.log" >&2; exit 1; }
  trap 'scripts/postgres/stop.sh >/dev/null 2>&1 || true' EXIT
  psql -q -h 127.0.0.1 -p "$FARM_PG_PORT" -U postgres -d postgres -c "CREATE DATABASE $DATABASE" >/dev/null
  STORE="postgres://postgres@127.0.0.1:$FARM_PG_PORT/$DATABASE"
else
  STORE="sqlite:$WORK/farm.db"
fi

# After the run: the PostgreSQL journal's size, and where the logs are.
report_store() {
  if [ "$PG" = yes ]; then
    echo "postgresql journal bytes (database $DATABASE): $(psql -tA -h 127.0.0.1 -p "$FARM_PG_PORT" -U postgres -d postgres -c "SELECT pg_database_size('$DATABASE')")"
  fi
  echo "logs: $WORK"
}
