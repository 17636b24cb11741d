#!/usr/bin/env bash
# Runs the sample app at http://localhost:8080 on its embedded, file-based H2 database (sample-app/data/).
# Sets the machine up first (ffmpeg, git: the tools the sample wraps), builds the app, then runs it.
# Extra arguments go to the app, e.g.  scripts/run-sample.sh --spring.profiles.active=postgres --server.port=9090
# It listens on 127.0.0.1 only; SERVER_ADDRESS=0.0.0.0 (or --server.address=0.0.0.0) opens it to the network, which
# lets anyone who reaches it run its presets: put authentication in front first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-machine.sh
./mvnw -B -q -pl sample-app -am -DskipTests package
cd sample-app
exec java -jar target/sample-app-*.jar "$@"
