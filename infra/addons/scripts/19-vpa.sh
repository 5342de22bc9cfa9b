#!/usr/bin/env bash
# 19-vpa — Vertical Pod Autoscaler (Fairwinds chart; version: addons/lib/versions.sh), recommend-only
# scope: all
# Usage: 19-vpa.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: VPA_VERSION (addons/lib/versions.sh)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  helm_repo fairwinds-stable https://charts.fairwinds.com/stable
  helm_install "$1" vpa fairwinds-stable/vpa vpa \
    --version "$(setting VPA_VERSION)" \
    --values addons/values/vpa.yaml
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
