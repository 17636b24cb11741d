#!/bin/sh
# A build-like job for the execra sample: phases, progress, warnings, lint findings and a deploy prompt read from
# stdin. The "build" interpreter in application.yml turns these lines into typed events.
#   usage: build.sh <project> [step-delay-seconds]     (env PROMPT_TIMEOUT: seconds to wait for the answer)
set -eu
project="${1:-demo}"
delay="${2:-0.3}"

step() {
	sleep "$delay"
}

echo "==> resolve: dependencies of $project"
for dep in spring-core:7.0.10 jackson-databind:3.1.7 commons-text:1.9 h2:2.4.240; do
	echo "Downloading $dep"
	step
done
echo "WARNING: commons-text:1.9 is outdated (1.13.1 is available)"

echo "==> compile: 6 modules"
for i in 1 2 3 4 5 6; do
	echo "[compile] module-$i ($((i * 100 / 6))%)"
	step
done
echo "WARNING: module-4 uses deprecated API LegacyClock.now()"

echo "==> lint: style and bug patterns"
step
echo "src/main/java/demo/Main.java:12: warning [unused-import] java.util.List is never used"
step
echo "src/main/java/demo/Cache.java:48: error [null-dereference] value may be null here"
step
echo "src/main/java/demo/Legacy.java:7: info [todo-comment] TODO: remove after 2.0"

echo "==> test: 24 tests"
for i in 6 12 18 24; do
	echo "[test] $i/24 passed"
	step
done

echo "Proceed with deploy? [y/N]"
# the answer is awaited for PROMPT_TIMEOUT seconds at most (set by the preset), then the deploy is skipped;
# --foreground keeps head in the job's process group, so that cancelling the job ends it too
answer=$(timeout --foreground "${PROMPT_TIMEOUT:-120}" head -n 1) || answer=""
case "$answer" in
	y|Y|yes|YES)
		echo "==> deploy: $project to staging"
		for target in node-1 node-2 node-3; do
			echo "Deploying to $target"
			step
		done
		echo "BUILD SUCCESSFUL: $project deployed to staging"
		;;
	*)
		echo "BUILD SUCCESSFUL: $project built, deploy skipped"
		;;
esac
