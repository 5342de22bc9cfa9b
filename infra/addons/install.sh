#!/usr/bin/env bash
# Phase 2 of the install: add-ons on the clusters created by `tofu apply`.
#
# Usage: install.sh --cluster all|mgmt|app1|app2 [--dry-run]
#
# Runs the steps in order (14-verify-clusters always last). Each step runs on every
# selected cluster its "# scope:" header names; subscription-level steps run once, with --cluster all.
# --dry-run prints every command (see lib/common.sh for the format) and touches nothing.
# Settings: see lib/common.sh, and the header of each script in scripts/.
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# The steps, in order.
readonly STEPS=(
  00-priority-classes
  00b-gateway-api
  01-cert-manager
  02-external-secrets
  03-reloader
  04-istio
  05-kyverno
  06-flux
  07-kiali
  08-karpenter-nodepool
  09-backup-extension
  10-defender
  11-budget-alert
  12-aks-automation
  13-hubble
  15-tetragon
  16-otel-collector
  19-vpa
  14-verify-clusters
)
readonly ALL_CLUSTERS=(mgmt app1 app2)

usage() {
  sed -n 's/^# Usage: //p' "${BASH_SOURCE[0]}"
  exit 2
}

main() {
  local target="" step cluster
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --cluster) target="${2:-}"; shift 2 || usage ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h | --help) usage ;;
      *) warn "unknown argument $1"; usage ;;
    esac
  done
  export DRY_RUN

  local clusters=()
  case "${target}" in
    all) clusters=("${ALL_CLUSTERS[@]}") ;;
    mgmt | app1 | app2) clusters=("${target}") ;;
    *) usage ;;
  esac

  need az kubectl helm
  [[ "${DRY_RUN}" == "1" ]] && info "dry run: commands are printed, nothing is executed"
  info "clusters: ${clusters[*]}; worker provisioning: ${WORKER_PROVISIONING}; istio: ${ISTIO_REVISION}"

  for step in "${STEPS[@]}"; do
    if [[ "$(scope_of "${step}")" == "subscription" ]]; then
      [[ "${target}" == "all" ]] || continue
      printf '==> [subscription] %s\n' "${step}"
      bash "${ADDONS_DIR}/scripts/${step}.sh" subscription
      continue
    fi
    for cluster in "${clusters[@]}"; do
      in_scope "${step}" "${cluster}" || continue
      printf '==> [%s] %s\n' "${cluster}" "${step}"
      bash "${ADDONS_DIR}/scripts/${step}.sh" "${cluster}"
    done
  done
  info "done"
}

main "$@"
