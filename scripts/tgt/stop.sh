#!/bin/sh
# Stops the private tgtd started by start.sh (same STATE_DIR and BURNFARM_TGT_CONTROL).
# tgtd ignores SIGTERM: the targets are deleted and the daemon is told to exit through its
# management channel ("--mode system --op delete"); only if it is still alive after that is
# it killed with SIGKILL, by the pid it wrote, never by name.
set -u
STATE_DIR=${1:-/tmp/burnfarm-tgt}
CONTROL=${BURNFARM_TGT_CONTROL:-7}

adm() { tgtadm -C "$CONTROL" --lld iscsi "$@"; }

if adm --mode target --op show >/dev/null 2>&1; then
    for tid in 2 1; do
        adm --mode target --op delete --force --tid "$tid" >/dev/null 2>&1 || true
    done
    tgtadm -C "$CONTROL" --mode system --op delete >/dev/null 2>&1 || true
fi

if [ -f "$STATE_DIR/tgtd.pid" ]; then
    pid=$(cat "$STATE_DIR/tgtd.pid")
    i=0
    while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$i" -lt 30 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE_DIR/tgtd.pid"
fi
exit 0
