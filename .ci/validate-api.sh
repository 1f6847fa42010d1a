#!/usr/bin/env bash
# Validates docs/asyncapi.yaml with the AsyncAPI parser (@asyncapi/parser from npm, pinned, installed into a cache
# directory like validate-ops.sh's linter): the AsyncAPI 3 schema, $refs, and the parser's rule set (errors and
# warnings fail). That live frames match the document's message schemas is StreamFramesSchemaIT's job.
set -euo pipefail
cd "$(dirname "$0")/.."

parser_version=3.6.3
tools="${TICKFLOW_CI_TOOLS:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/tickflow-ci}/asyncapi"
installed="$(node -p "require('$tools/node_modules/@asyncapi/parser/package.json').version" 2>/dev/null || true)"
if [[ "$installed" != "$parser_version" ]]; then
  echo "api: installing @asyncapi/parser@$parser_version into $tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error \
    "@asyncapi/parser@$parser_version" >/dev/null
fi
node .ci/validate-asyncapi.mjs "$tools/node_modules" docs/asyncapi.yaml
