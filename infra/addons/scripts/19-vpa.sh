#!/usr/bin/env bash
# 19-vpa — Vertical Pod Autoscaler (Fairwinds chart 4.7.1), recommend-only (§8.1)
# scope: all
# Usage: 19-vpa.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: VPA_VERSION (4.7.1)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  helm_repo fairwinds-stable https://charts.fairwinds.com/stable
  helm_install "$1" vpa fairwinds-stable/vpa vpa \
    --version "$(setting VPA_VERSION 4.7.1)" \
    --values addons/values/vpa.yaml
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
