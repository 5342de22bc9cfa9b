#!/usr/bin/env bash
# 15-tetragon — Cilium Tetragon v1.4.0 (eBPF runtime security, §7.1 L5)
# scope: all
# Usage: 15-tetragon.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: TETRAGON_VERSION (1.4.0)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  helm_repo cilium https://helm.cilium.io
  helm_install "$1" tetragon cilium/tetragon kube-system \
    --version "$(setting TETRAGON_VERSION 1.4.0)" \
    --values addons/values/tetragon.yaml
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
