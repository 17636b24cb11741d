#!/usr/bin/env bash
# Runs every test of execra on this machine: sets the machine up (scripts/setup-machine.sh), points the
# database tests at the local PostgreSQL and MariaDB when they answer, then runs the Maven build.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl execra-core
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-machine.sh

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  export EXECRA_TEST_POSTGRES_URL="${EXECRA_TEST_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
  export EXECRA_TEST_POSTGRES_USER="${EXECRA_TEST_POSTGRES_USER:-postgres}"
  export EXECRA_TEST_POSTGRES_PASSWORD="${EXECRA_TEST_POSTGRES_PASSWORD:-}"
fi
if command -v mariadb-admin >/dev/null 2>&1 && mariadb-admin -uroot -h127.0.0.1 ping >/dev/null 2>&1; then
  export EXECRA_TEST_MARIADB_URL="${EXECRA_TEST_MARIADB_URL:-jdbc:mariadb://127.0.0.1:3306/test}"
  export EXECRA_TEST_MARIADB_USER="${EXECRA_TEST_MARIADB_USER:-root}"
  export EXECRA_TEST_MARIADB_PASSWORD="${EXECRA_TEST_MARIADB_PASSWORD:-}"
fi

exec ./mvnw -B verify "$@"
