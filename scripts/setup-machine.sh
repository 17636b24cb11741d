#!/usr/bin/env bash
# Installs and starts what execra's tests and sample use on a Debian machine: the real CLIs the tests run
# (ffmpeg, git, rsync), Chromium for the browser test, and the local PostgreSQL and MariaDB if they are installed
# but stopped. Safe to run again; does nothing that is already done. Prints the database settings to export.
set -euo pipefail

need=()
for tool in ffmpeg git rsync setsid; do
  command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if ((${#need[@]})); then
  packages=()
  for tool in "${need[@]}"; do
    case "$tool" in
      setsid) packages+=(util-linux) ;;
      *) packages+=("$tool") ;;
    esac
  done
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${packages[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >&2
  else
    echo "setup: missing ${packages[*]}; tests that need them are skipped" >&2
  fi
fi

# Local databases: start them if installed and stopped (the machine image starts them at boot).
if command -v pg_ctlcluster >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "setup: starting PostgreSQL" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >&2 || true
fi
if command -v mariadbd >/dev/null 2>&1 && ! mariadb-admin -uroot -h127.0.0.1 ping >/dev/null 2>&1; then
  echo "setup: starting MariaDB" >&2
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >&2 || true
  for _ in $(seq 1 30); do mariadb-admin -uroot -h127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi
