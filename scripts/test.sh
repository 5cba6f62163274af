#!/usr/bin/env bash
# The one test command (`npm test`): sets up what the tests need where it is missing
# (Debian packages, dockerd, the desktop image, node_modules), then runs every tier.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

bash scripts/setup-test-env.sh

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci (Electron binary download skipped)"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
node -e "require('better-sqlite3')(':memory:').close()" \
  || { echo "better-sqlite3's native module did not build: run 'npm rebuild better-sqlite3'"; exit 1; }

echo "== typecheck"; npm run --silent typecheck
echo "== lint"; npm run --silent lint
echo "== build"; npm run --silent build

echo "== tests: unit, integration (real Docker, TigerVNC, SQLite), hostile input and faults, end to end (Chromium)"
shopt -s nullglob
node --import tsx --test --test-concurrency=1 --test-timeout=300000 \
  test/unit/*.test.ts test/integration/*.test.ts test/hostile/*.test.ts test/e2e/*.test.ts

echo "== Proxmox tests again, the emulator as Proxmox VE 8.2 (the run above: 9.1; docs/proxmox.md)"
DAAS_PVE_VERSION=8.2.7 node --import tsx --test --test-concurrency=1 --test-timeout=300000 \
  test/integration/proxmox-*.test.ts test/hostile/proxmox-*.test.ts

echo "== all tiers passed in $(( $(date +%s) - started )) s"
