#!/usr/bin/env bash
# `npm test`: install what the tests need when it is missing, then run every test.
#
# - npm packages: `npm install` when node_modules is missing or older than package-lock.json
#   (not `npm ci`: npm 11 here writes lock files without other platforms' optional packages,
#   which `npm ci` then refuses as out of sync; `npm install` honours the same lock).
# - System tools (Debian packages): Chromium for the browser tests, coturn for its TURN client tools,
#   redis-server and nginx for the cluster tests, iptables/iproute2 for the NAT tests and
#   docker-compose to validate the compose file. Installed with apt-get when running as root.
#   Without root they are not installed; the tests that need them then fail (CI) or report that
#   they did not run (elsewhere), each with a message naming what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] installing npm packages"
  npm install --no-audit --no-fund
fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v turnutils_uclient >/dev/null 2>&1 || missing+=(coturn)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || missing+=(nginx-light)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[test] installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "[test] not root (or no apt-get): cannot install ${missing[*]}; tests that need them will say so"
  fi
fi
# coturn's Debian package may start its own daemon on 3478: tests use their own ports, but stop it.
if command -v service >/dev/null 2>&1 && pgrep -x turnserver >/dev/null 2>&1; then service coturn stop >/dev/null 2>&1 || true; fi

export TMPDIR="${TMPDIR:-$PWD/.tmp}"
mkdir -p "$TMPDIR"

echo "[test] type-checking"
npx tsc -p .
echo "[test] building the web client"
node scripts/build-web.mjs
echo "[test] running tests"
npx vitest run "$@"
