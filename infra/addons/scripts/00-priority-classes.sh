#!/usr/bin/env bash
# 00-priority-classes — PriorityClasses used by the add-ons' HA settings
# scope: all
# Usage: 00-priority-classes.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  apply_manifest "$1" manifests/priority-classes
  apply_manifest "$1" manifests/storage # StorageClasses
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
