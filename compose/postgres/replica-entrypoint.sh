#!/bin/bash
# A standby: cloned from the primary on first start, then streaming from it.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  until gosu postgres pg_basebackup --host=postgres --username=replicator --pgdata="$PGDATA" \
        --write-recovery-conf --wal-method=stream --slot=replica_1; do
    echo "waiting for the primary ..."; sleep 2
  done
fi
exec gosu postgres postgres -c hot_standby=on
