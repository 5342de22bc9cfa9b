#!/usr/bin/env bash
# 15-tetragon — Cilium Tetragon (eBPF runtime security; version: addons/lib/versions.sh)
# scope: all
# Usage: 15-tetragon.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: TETRAGON_VERSION (addons/lib/versions.sh)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  helm_repo cilium https://helm.cilium.io
  helm_install "$1" tetragon cilium/tetragon kube-system \
    --version "$(setting TETRAGON_VERSION)" \
    --values addons/values/tetragon.yaml
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
