#!/usr/bin/env bash
# Proof that the repository needs nothing around it: clones HEAD into an empty temporary folder (nothing beside it,
# no shared/ above it) and runs the build with every unit test there, against the same local Maven repository.
# Uncommitted changes are not in the clone: this checks what a newcomer would get.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d "${TMPDIR:-/tmp}/tickflow-clone.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
echo "clone: $(git -C "$repo" rev-parse --short HEAD) into $dir/tickflow, unit tests there"
git clone -q --no-hardlinks "$repo" "$dir/tickflow"
for found in "$dir"/*; do
  [[ "$found" == "$dir/tickflow" ]] || { echo "clone: $dir is not empty: $found" >&2; exit 1; }
done
log="$dir/build.log"
if ! (cd "$dir/tickflow" && ./mvnw -B -DskipITs verify) >"$log" 2>&1; then
  grep -E '^\[(ERROR|WARNING)\]|Tests run:|FAIL' "$log" | head -60
  echo "clone: the fresh clone does not build (log excerpt above)" >&2
  exit 1
fi
echo "clone: $(grep -h -o 'Tests run: [0-9]*' "$dir"/tickflow/*/target/surefire-reports/*.txt 2>/dev/null \
  | awk '{s+=$3} END {print s+0}') unit tests passed in a fresh clone"
