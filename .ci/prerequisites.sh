#!/usr/bin/env bash
# The test-only system packages: Chromium + ChromeDriver for the dashboard's browser test (and the browser example),
# docker-compose to validate the compose file, npm for the Dockerfile linter and the AsyncAPI parser, prometheus for
# promtool (.ci/validate-ops.sh, .ci/validate-api.sh), and for ExamplesIT's client examples kcat and Debian's python3
# with python3-websockets (PyPI is not reachable here). Installed from Debian's archive when missing and this is root
# on Debian; otherwise one line says what to install and how to skip on purpose.
set -euo pipefail

packages=()
if [[ "${TICKFLOW_SKIP_BROWSER:-}" != 1 ]]; then
  [[ -x /usr/bin/chromium ]] || packages+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || packages+=(chromium-driver)
fi
if [[ "${TICKFLOW_SKIP_OPS:-}" != 1 ]]; then
  command -v docker-compose >/dev/null || packages+=(docker-compose)
  command -v npm >/dev/null || packages+=(npm)
  command -v promtool >/dev/null || packages+=(prometheus)
fi
command -v kcat >/dev/null || packages+=(kcat)
/usr/bin/python3 -c 'import websockets' 2>/dev/null || packages+=(python3-websockets)
((${#packages[@]})) || exit 0

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "test: missing ${packages[*]}: install them (Debian: sudo apt-get install ${packages[*]})," \
       "or skip on purpose with TICKFLOW_SKIP_BROWSER=1 (chromium*) / TICKFLOW_SKIP_OPS=1 (docker-compose, npm, prometheus)" >&2
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
