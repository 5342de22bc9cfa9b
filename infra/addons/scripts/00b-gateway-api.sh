#!/usr/bin/env bash
# 00b-gateway-api — Gateway API CRDs v1.3.0 (§5.3; classic Istio API stays in use)
# scope: all
# Usage: 00b-gateway-api.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: GATEWAY_API_VERSION (v1.3.0)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local version
  version="$(setting GATEWAY_API_VERSION v1.3.0)"
  kc "$1" apply --server-side -f "https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/standard-install.yaml"
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
