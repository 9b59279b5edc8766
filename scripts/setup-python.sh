#!/usr/bin/env bash
# Installs the Python tools the tests use (scripts/python-requirements.txt, versions pinned) into
# .venv/ beside the checkout, from PyPI. Runs before `npm test`; when .venv already holds exactly
# that list it does nothing. Tests find the tools under .venv/bin/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
req="$root/scripts/python-requirements.txt"
venv="$root/.venv"
stamp="$venv/.requirements"
python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "The tests need Python 3.10 or newer (python3), which is not on PATH. Install it, then run npm test again." >&2
  exit 1
fi
if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then exit 0; fi
echo "Installing the Python tools the tests need into .venv/ (scripts/python-requirements.txt)" >&2
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
cp "$req" "$stamp"
