#!/usr/bin/env bash
# Phase 2 of the install: add-ons on the clusters created by `tofu apply`.
#
# Usage: install.sh --cluster all|mgmt|app1|app2 [--step NN-name] [--dry-run | --plan DIR]
#
# Runs the steps in order (14-verify-clusters always last). Each step runs on every
# selected cluster its "# scope:" header names; subscription-level steps run once, with --cluster all.
# --step NN-name runs that one step only; it must be one of STEPS and apply to the cluster (its scope).
# --dry-run prints every command (see lib/common.sh for the format) and touches nothing.
# --plan DIR (one cluster) prints every command as --dry-run does, except that each Helm release the
# steps install is rendered against the cluster: DIR/<release>.new.yaml is what `helm upgrade
# --dry-run=server` would apply, DIR/<release>.old.yaml what is installed now (empty: not installed).
# It changes nothing in the cluster; it needs helm, the kube context and the steps' settings.
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

# is_step NAME: NAME is one of STEPS.
is_step() {
  local s
  for s in "${STEPS[@]}"; do
    [[ "${s}" == "$1" ]] && return 0
  done
  return 1
}

main() {
  local target="" only="" step cluster
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --cluster) target="${2:-}"; shift 2 || usage ;;
      --step) only="${2:-}"; shift 2 || usage ;;
      --dry-run) DRY_RUN=1; shift ;;
      --plan) PLAN_DIR="${2:-}"; shift 2 || usage ;;
      -h | --help) usage ;;
      *) warn "unknown argument $1"; usage ;;
    esac
  done

  local clusters=()
  case "${target}" in
    all) clusters=("${ALL_CLUSTERS[@]}") ;;
    mgmt | app1 | app2) clusters=("${target}") ;;
    *) usage ;;
  esac

  if [[ -n "${only}" ]]; then
    is_step "${only}" || fatal "no step ${only} (the steps: ${STEPS[*]})"
    if [[ "$(scope_of "${only}")" == "subscription" ]]; then
      [[ "${target}" == "all" ]] || fatal "${only} is a subscription-level step: use --cluster all"
    elif [[ "${target}" != "all" ]]; then
      require_scope "${only}" "${target}"
    fi
  fi

  if [[ -n "${PLAN_DIR}" ]]; then
    [[ "${DRY_RUN}" == "1" ]] && fatal "--plan and --dry-run exclude each other"
    [[ "${target}" != "all" ]] || fatal "--plan renders one cluster's releases: name the cluster"
    [[ -d "${PLAN_DIR}" ]] || fatal "--plan ${PLAN_DIR}: no such directory"
    command -v helm >/dev/null 2>&1 || fatal "helm is required for --plan"
    DRY_RUN=1
  fi
  export DRY_RUN PLAN_DIR

  need az kubectl helm
  if [[ -n "${PLAN_DIR}" ]]; then
    info "plan: commands are printed, Helm releases are rendered into ${PLAN_DIR}; nothing is changed"
  elif [[ "${DRY_RUN}" == "1" ]]; then
    info "dry run: commands are printed, nothing is executed"
  fi
  info "clusters: ${clusters[*]}; worker provisioning: ${WORKER_PROVISIONING}; istio: ${ISTIO_REVISION}"

  for step in "${STEPS[@]}"; do
    [[ -z "${only}" || "${step}" == "${only}" ]] || continue
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
