#!/usr/bin/env bash
# 05-kyverno — Kyverno in Enforce mode, app clusters only (version: addons/lib/versions.sh)
# scope: app1 app2
# Usage: 05-kyverno.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: KYVERNO_VERSION (addons/lib/versions.sh), ACR_LOGIN_SERVER (tofu output acr_login_server)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  # the project registry in the allow-list (manifests/kyverno/restrict-image-registries.yaml)
  export ACR_LOGIN_SERVER
  ACR_LOGIN_SERVER="$(setting ACR_LOGIN_SERVER)"
  helm_repo kyverno https://kyverno.github.io/kyverno/
  helm_install "$1" kyverno kyverno/kyverno kyverno \
    --version "$(setting KYVERNO_VERSION)" \
    --values addons/values/kyverno.yaml
  apply_manifest "$1" manifests/hpa/kyverno.yaml manifests/kyverno
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
