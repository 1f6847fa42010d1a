#!/usr/bin/env bash
# The test-only system packages: Chromium + ChromeDriver for the dashboard's browser test, docker-compose to validate
# the compose file and npm for the Dockerfile linter (.ci/validate-ops.sh). Installed from Debian's archive when
# missing and this is root on Debian; otherwise one line says what to install and how to skip on purpose.
set -euo pipefail

packages=()
if [[ "${TICKFLOW_SKIP_BROWSER:-}" != 1 ]]; then
  [[ -x /usr/bin/chromium ]] || packages+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || packages+=(chromium-driver)
fi
if [[ "${TICKFLOW_SKIP_OPS:-}" != 1 ]]; then
  command -v docker-compose >/dev/null || packages+=(docker-compose)
  command -v npm >/dev/null || packages+=(npm)
fi
((${#packages[@]})) || exit 0

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "test: missing ${packages[*]}: install them (Debian: sudo apt-get install ${packages[*]})," \
       "or skip on purpose with TICKFLOW_SKIP_BROWSER=1 (chromium*) / TICKFLOW_SKIP_OPS=1 (docker-compose, npm)" >&2
  exit 1
fi
echo "test: installing ${packages[*]}"
log="$(mktemp)"
if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${packages[@]}"; } >"$log" 2>&1; then
  cat "$log"
  echo "test: could not install ${packages[*]} (log above)" >&2
  exit 1
fi
rm -f "$log"
