#!/usr/bin/env bash
# 00b-gateway-api — Gateway API CRDs, standard channel (version: addons/lib/versions.sh; the classic Istio API stays in use)
# scope: all
# Usage: 00b-gateway-api.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: GATEWAY_API_VERSION (pinned in addons/lib/versions.sh)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local version
  version="$(setting GATEWAY_API_VERSION)"
  kc "$1" apply --server-side -f "https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/standard-install.yaml"
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
