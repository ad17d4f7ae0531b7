#!/bin/sh
# Runs `npm run mutate -- <args>` on a private copy of the working tree, then copies the reports back
# to reports/mutation/. Use it whenever others may edit the tree during a run: Stryker's TypeScript
# checker type-checks each mutant against the files in the project folder (only the test runner uses
# the sandbox copy), so a file moved or changed mid-run turns the mutants checked after it into
# CompileErrors that were never tested.
#   sh stryker/snapshot.sh --mutate 'src/keys/key-service.ts'
# AFIN_MUTATE_FROM=HEAD copies the last commit instead of the working tree.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
snap=$(mktemp -d "${TMPDIR:-/tmp}/afin-mutate-XXXXXX")
trap 'rm -rf "$snap"' EXIT INT TERM
if [ "${AFIN_MUTATE_FROM:-}" = HEAD ]; then
  # The last commit, without anyone's uncommitted edits (a test planted mid-edit fails the initial run).
  git -C "$root" archive HEAD | tar -C "$snap" -xf -
else
  tar -C "$root" --exclude=./node_modules --exclude=./.git --exclude=./.stryker-tmp --exclude=./reports --exclude=./.tmp -cf - . | tar -C "$snap" -xf -
fi
ln -s "$root/node_modules" "$snap/node_modules"
mkdir -p "$root/reports/mutation" "$snap/reports/mutation"
# The incremental files, so the copy re-tests only what changed since the last run.
cp "$root"/reports/mutation/*.incremental.json "$snap/reports/mutation/" 2>/dev/null || true
echo "stryker/snapshot.sh: mutating a copy of the tree in $snap"
(cd "$snap" && npm run mutate -- "$@")
status=$?
cp "$snap"/reports/mutation/* "$root/reports/mutation/" 2>/dev/null || true
exit $status
