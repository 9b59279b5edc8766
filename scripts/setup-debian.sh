#!/usr/bin/env bash
# Installs the Debian packages the tests need (scripts/debian-packages.txt) when they are missing.
# Runs before `npm test`; on a machine that has them all it does nothing.
set -euo pipefail
# PANDASTACK_DEBIAN_PACKAGES names another list (the tests use one with a probe that does not exist).
list="${PANDASTACK_DEBIAN_PACKAGES:-$(dirname "$0")/debian-packages.txt}"
missing=()
while read -r probe pkg; do
  case "$probe" in ''|'#'*) continue ;; esac
  [ -e "$probe" ] || missing+=("$pkg")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these Debian packages, which are not installed: ${missing[*]}" >&2
  echo "Install them (sudo apt-get install ${missing[*]}), then run npm test again." >&2
  exit 1
fi
echo "Installing Debian packages the tests need: ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
