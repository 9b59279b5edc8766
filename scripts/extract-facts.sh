#!/usr/bin/env bash
# Writes fidelity/source-facts.json from a checkout of the service:
#   npm run facts -- --src /path/to/pandastack-ai [--commit <sha>]
# The extractor is the Go module in fidelity/extract (standard library only).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v go >/dev/null 2>&1; then
  echo "npm run facts: needs Go 1.19+ on PATH (bash scripts/setup-debian.sh installs it); the fidelity check does not, it reads the committed fidelity/source-facts.json" >&2
  exit 2
fi
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --src) [ $# -ge 2 ] || { echo "npm run facts: --src needs a path" >&2; exit 2; }
           args+=(--src "$(cd "$2" 2>/dev/null && pwd || echo "$2")"); shift 2 ;;
    --src=*) v="${1#--src=}"; args+=(--src "$(cd "$v" 2>/dev/null && pwd || echo "$v")"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
cd "$root/fidelity/extract"
exec go run . --out "$root/fidelity/source-facts.json" "${args[@]}"
