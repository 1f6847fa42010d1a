#!/usr/bin/env bash
# Validates the ops files without a Docker engine:
#  - docker-compose.yml: `docker-compose config -q` (schema and interpolation), then the invariants the services rely
#    on (.ci/check_ops.py compose);
#  - every */Dockerfile: dockerfile-utils (the Dockerfile linter behind VS Code's Docker support, from npm; any
#    diagnostic fails), then house rules (.ci/check_ops.py dockerfile);
#  - the monitoring profile (ops/monitoring): `promtool check config` (Debian's prometheus package) on the Prometheus
#    configuration, then the jobs, provisioning and dashboard structure (.ci/check_ops.py monitoring).
# Needs docker-compose, npm and promtool (.ci/prerequisites.sh installs them); installs its pinned linter into a
# cache directory.
set -euo pipefail
cd "$(dirname "$0")/.."

linter_version=0.16.3
tools="${TICKFLOW_CI_TOOLS:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/tickflow-ci}"
linter="$tools/node_modules/.bin/dockerfile-utils"
# docker-compose runs on Debian's python3, which therefore has PyYAML; a python3 earlier on PATH may not.
python=/usr/bin/python3

if ! "$linter" --version 2>/dev/null | grep -q "version $linter_version "; then
  echo "ops: installing dockerfile-utils@$linter_version into $tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error \
    "dockerfile-utils@$linter_version" >/dev/null
fi

echo "ops: $(docker-compose version --short 2>/dev/null || docker-compose version | head -1) validating docker-compose.yml"
docker-compose -f docker-compose.yml config -q
docker-compose -f docker-compose.yml --profile monitoring config -q
status=0
docker-compose -f docker-compose.yml --profile demo --profile monitoring config | "$python" .ci/check_ops.py compose \
  || status=1
echo "ops: $(promtool --version 2>&1 | head -1 | cut -d' ' -f1-3) checking ops/monitoring/prometheus.yml"
promtool check config ops/monitoring/prometheus.yml >/dev/null || { promtool check config ops/monitoring/prometheus.yml; status=1; }
"$python" .ci/check_ops.py monitoring || status=1

for dockerfile in */Dockerfile; do
  diagnostics="$("$linter" lint --json "$dockerfile")" || true
  if [[ "$diagnostics" != "[]" ]]; then
    echo "ops: $dockerfile: dockerfile-utils found problems:"
    "$linter" lint "$dockerfile" || true
    status=1
  fi
  "$python" .ci/check_ops.py dockerfile "$dockerfile" || status=1
done
[[ $status -eq 0 ]] && echo "ops: compose file, monitoring profile and $(ls */Dockerfile | wc -l) Dockerfiles valid"
exit $status
