#!/usr/bin/env bash
# 03-reloader — Stakater Reloader (chart 2.x): rolling restart when Key Vault content changes
# scope: all
# Usage: 03-reloader.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: RELOADER_VERSION (addons/lib/versions.sh)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  helm_repo stakater https://stakater.github.io/stakater-charts
  helm_install "$1" reloader stakater/reloader reloader \
    --version "$(setting RELOADER_VERSION)" \
    --values addons/values/reloader.yaml
  apply_manifest "$1" manifests/hpa/reloader.yaml
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
