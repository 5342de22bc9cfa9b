#!/usr/bin/env bash
# 11-budget-alert — The $250 monthly budget: created by tofu (modules/budget); shown here
# scope: subscription
# Usage: 11-budget-alert.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  run az consumption budget show --budget-name "budget-${NAME_PREFIX}-monthly" --output table
  info "a budget only notifies (8-24 h late); the power schedule or the dashboard's guard acts"
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
