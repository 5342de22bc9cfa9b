#!/usr/bin/env bash
# 05-kyverno — Kyverno Helm chart 3.7.1 / app 1.16.x in Enforce mode, app clusters only (C4, ADR-003, §7.4, E6)
# scope: app1 app2
# Usage: 05-kyverno.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: KYVERNO_VERSION (3.7.1)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  helm_repo kyverno https://kyverno.github.io/kyverno/
  helm_install "$1" kyverno kyverno/kyverno kyverno \
    --version "$(setting KYVERNO_VERSION 3.7.1)" \
    --values addons/values/kyverno.yaml
  apply_manifest "$1" manifests/hpa/kyverno.yaml manifests/kyverno
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
