#!/usr/bin/env bash
# Starts the local services the tests use when they are not already running (idempotent).
set -euo pipefail

wait_for() { # name command...
  local name=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "services: $name did not come up" >&2; return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "services: starting PostgreSQL"
  cluster=$(ls /etc/postgresql | sort -V | tail -n1)
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main start || true
  wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q
fi
# The tests connect as postgres over TCP to database "test" with trust auth. A freshly installed
# Debian cluster asks for passwords on TCP: allow loopback connections without one (test machine only).
if ! psql -h 127.0.0.1 -U postgres -d postgres -w -tAc 'select 1' >/dev/null 2>&1; then
  cluster=$(ls /etc/postgresql | sort -V | tail -n1)
  hba=/etc/postgresql/$cluster/main/pg_hba.conf
  echo "services: allowing trust auth on loopback in $hba"
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main reload
  wait_for PostgreSQL psql -h 127.0.0.1 -U postgres -d postgres -w -tAc 'select 1'
fi
# Settings that need a restart, applied together (one restart at most):
# - max_connections: the end-to-end tests run whole NetPulse deployments (up to six processes, each
#   with its pools) while other test files run in parallel; Debian's default of 100 is too few.
# - shared_buffers, max_wal_size, checkpoint_timeout, wal_compression: the settings README.md
#   recommends for a PostgreSQL that takes NetPulse's telemetry. With Debian's 128 MB and 1 GB, 5,000
#   observations a second forced a checkpoint every 30–40 s and the projectors fell seconds behind
#   after each (docs/benchmarks.md, pipeline, "Session 10").
pg_settings=(max_connections=500 shared_buffers=2GB max_wal_size=8GB checkpoint_timeout=15min wal_compression=pglz)
restart=no
for setting in "${pg_settings[@]}"; do
  name=${setting%%=*} value=${setting#*=}
  current=$(psql -h 127.0.0.1 -U postgres -d postgres -tAc "select setting from pg_file_settings where name = '$name' and applied order by seqno desc limit 1")
  if [ "$current" != "$value" ]; then
    echo "services: setting PostgreSQL $name = $value"
    psql -h 127.0.0.1 -U postgres -d postgres -qc "alter system set $name = '$value'"
    restart=yes
  fi
done
if [ "$restart" = yes ]; then
  cluster=$(ls /etc/postgresql | sort -V | tail -n1)
  pg_ctlcluster --skip-systemctl-redirect "$cluster" main restart
  wait_for PostgreSQL psql -h 127.0.0.1 -U postgres -d postgres -w -tAc 'select 1'
fi
psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname='test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -c 'create database test' >/dev/null

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "services: starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping
fi
