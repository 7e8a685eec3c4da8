#!/bin/bash
# Runs once, when the primary's data directory is created: the replication role, its slot, and
# one database per service that uses PostgreSQL.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';
SELECT pg_create_physical_replication_slot('replica_1');
CREATE DATABASE cairn_tenant OWNER cairn;
CREATE DATABASE cairn_wallet OWNER cairn;
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
