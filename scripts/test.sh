#!/usr/bin/env bash
# `npm test`: every test — dependency hygiene, lint, types, unit and integration (Vitest), the
# production build, and end-to-end (Playwright in Debian's Chromium).
# Installs the Debian packages the tests need when they are missing
# (chromium, shellcheck, postgresql, zip, unzip), as root; otherwise says what to install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NEXT_TELEMETRY_DISABLED=1

info() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

need=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
# npm run package (tested end to end) writes the App Service zip; the test unpacks it.
command -v zip >/dev/null 2>&1 || need+=(zip)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then
    info "installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

results=data/test-results
mkdir -p "$results"
rm -f "$results"/*.json

info 'dependencies (npm ls, lockfile sources, npm audit of production dependencies)'
node scripts/deps-check.mjs
info 'lint'
npx eslint .
info 'typecheck'
npx tsc --noEmit
info 'unit and integration tests (Vitest)'
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
info 'production build'
npx next build
info 'end-to-end tests (Playwright, Chromium)'
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npx playwright test --reporter=list,json
info 'end-to-end tests again, TARGET=azure with ARM and Entra ID pointed at the twin (playwright.azure.config.ts)'
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright-azure.json" npx playwright test -c playwright.azure.config.ts --reporter=list,json

node scripts/test-summary.mjs "$results/vitest.json" "$results/playwright.json" "$results/playwright-azure.json"
