#!/usr/bin/env bash
# Runs the sample app at http://localhost:8080 on its embedded, file-based H2 database (sample-app/data/).
# Sets the machine up first (ffmpeg, git: the tools the sample wraps). Extra arguments go to the app, e.g.
#   scripts/run-sample.sh --spring.profiles.active=postgres
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-machine.sh
./mvnw -B -q -DskipTests install
cd sample-app
exec ../mvnw -B -q spring-boot:run ${*:+-Dspring-boot.run.arguments="$*"}
