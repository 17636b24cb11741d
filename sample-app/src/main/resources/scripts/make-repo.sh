#!/bin/sh
# Creates the sample's demo git repository with some history: a dozen commits, each adding a generated file.
#   usage: make-repo.sh <directory> [<git>]
set -eu
dir="$1"
# the clone preset's git; a missing one is reported before anything is touched, with the shell's 127
git="${2:-git}"
if ! command -v "$git" >/dev/null 2>&1; then
	echo "make-repo.sh: cannot run program \"$git\": not found (PATH $PATH)" >&2
	exit 127
fi
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
"$git" init --quiet --initial-branch=main
"$git" config user.name "execra sample"
"$git" config user.email "sample@execra.io"
echo "# demo" > README.md
"$git" add README.md
"$git" commit --quiet -m "Initial commit"
i=1
while [ "$i" -le 12 ]; do
	# ~100 KB of incompressible data per commit, so that clone has objects to count, compress and receive
	head -c 100000 /dev/urandom | od -An -tx1 > "chapter-$i.txt"
	"$git" add "chapter-$i.txt"
	"$git" commit --quiet -m "Add chapter $i"
	echo "committed chapter $i"
	i=$((i + 1))
done
"$git" log --oneline | wc -l
