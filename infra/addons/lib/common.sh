#!/usr/bin/env bash
# Shared helpers for install.sh and scripts/NN-*.sh (sourced, not executed).
#
# Output format (stable; the dashboard streams it as a job log, see infra/README.md):
#   ==> [<cluster>] <step>     a step starts on a cluster ("subscription" for subscription-level steps)
#   + <command …>              a side effect: printed, then executed (DRY_RUN=1: printed only)
#   -- <text>                  information
#   !! <text>                  warning (stderr)
#   xx <text>                  fatal error (stderr), exit 1
#
# Settings (environment):
#   DRY_RUN=1             print every command instead of running it; needs no az/kubectl/helm
#   PLAN_DIR              set by install.sh --plan: as DRY_RUN=1, but Helm releases are rendered (helm_plan)
#   WORKER_PROVISIONING   nap (default) | autoscaler — must match the tofu variable
#   ACNS_OBSERVABILITY    0 (default) | 1 — must match acns_observability_enabled
#   ISTIO_REVISION        asm-1-30 (default; the oldest supported revision)
#   NAME_PREFIX           k8s-demo (default; rg-<prefix>-<cluster>, aks-<cluster>)

# shellcheck disable=SC2034  # INFRA_DIR and settings are used by the sourcing scripts
INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ADDONS_DIR="${INFRA_DIR}/addons"
DRY_RUN="${DRY_RUN:-0}"
PLAN_DIR="${PLAN_DIR:-}"
WORKER_PROVISIONING="${WORKER_PROVISIONING:-nap}"
ACNS_OBSERVABILITY="${ACNS_OBSERVABILITY:-0}"
ISTIO_REVISION="${ISTIO_REVISION:-asm-1-30}"
NAME_PREFIX="${NAME_PREFIX:-k8s-demo}"
# shellcheck source=SCRIPTDIR/versions.sh
source "${ADDONS_DIR}/lib/versions.sh" # every add-on version, pinned once

info() { printf -- '-- %s\n' "$*"; }
warn() { printf -- '!! %s\n' "$*" >&2; }
fatal() {
  printf -- 'xx %s\n' "$*" >&2
  exit 1
}

# Every side effect goes through run: printed with a "+" prefix, executed unless DRY_RUN=1.
run() {
  printf '+'
  printf ' %q' "$@"
  printf '\n'
  if [[ "${DRY_RUN}" == "1" ]]; then
    return 0
  fi
  "$@"
}

# expect_empty WHAT cmd…: like run, but fails when the command prints anything (a list of problems).
expect_empty() {
  local what="$1" out
  shift
  printf '+'
  printf ' %q' "$@"
  printf '\n'
  [[ "${DRY_RUN}" == "1" ]] && return 0
  out="$("$@")"
  [[ -z "${out}" ]] || {
    printf '%s\n' "${out}"
    fatal "${what}"
  }
}

# A read-only probe (exists? ready?). In a dry run it is not executed and answers "no".
probe() {
  if [[ "${DRY_RUN}" == "1" ]]; then
    return 1
  fi
  "$@" >/dev/null 2>&1
}

need() {
  [[ "${DRY_RUN}" == "1" ]] && return 0
  local tool
  for tool in "$@"; do
    command -v "${tool}" >/dev/null 2>&1 || fatal "${tool} is required (install it, or use --dry-run)"
  done
}

# setting NAME [default]: the value of $NAME; fatal when unset outside a dry run.
setting() {
  local name="$1" default="${2-}"
  local value="${!name:-${default}}"
  if [[ -z "${value}" ]]; then
    # A plan renders with the real values: a placeholder would be rendered into the manifest.
    [[ "${DRY_RUN}" == "1" && -z "${PLAN_DIR}" ]] || fatal "setting ${name} is required"
    value="<${name}>"
  fi
  printf '%s' "${value}"
}

resource_group() { printf 'rg-%s-%s' "${NAME_PREFIX}" "$1"; }
cluster_name() { printf 'aks-%s' "$1"; }
kube_context() { printf 'aks-%s' "$1"; } # az aks get-credentials names the context after the cluster

# The "# scope:" header of a step script: all | subscription | cluster names.
scope_of() {
  local script="${ADDONS_DIR}/scripts/$1.sh"
  [[ -f "${script}" ]] || fatal "no step $1"
  sed -n 's/^# scope: //p' "${script}" | head -n 1
}

in_scope() {
  local step="$1" cluster="$2" s
  for s in $(scope_of "${step}"); do
    [[ "${s}" == "all" || "${s}" == "${cluster}" ]] && return 0
  done
  return 1
}

require_scope() {
  local step="$1" cluster="$2"
  in_scope "${step}" "${cluster}" || fatal "${step} does not apply to ${cluster} (scope: $(scope_of "${step}"))"
}

kc() { run kubectl --context "$(kube_context "$1")" "${@:2}"; }

# A plan needs the chart's repository in Helm's local list (it changes nothing in a cluster).
helm_repo() {
  run helm repo add "$1" "$2" --force-update
  if [[ -n "${PLAN_DIR}" ]]; then
    info "plan: helm repo add $1 $2"
    helm repo add "$1" "$2" --force-update >/dev/null
  fi
}

# helm upgrade --install, idempotent. In a plan, rendered instead (helm_plan).
helm_install() {
  local cluster="$1" release="$2" chart="$3" namespace="$4"
  shift 4
  run helm upgrade --install "${release}" "${chart}" --kube-context "$(kube_context "${cluster}")" \
    --namespace "${namespace}" --create-namespace --wait --timeout 10m "$@"
  if [[ -n "${PLAN_DIR}" ]]; then
    helm_plan "$(kube_context "${cluster}")" "${release}" "${chart}" "${namespace}" "$@"
  fi
}

# helm_plan CONTEXT RELEASE CHART NAMESPACE ARGS…: what the upgrade would change, changing nothing.
# PLAN_DIR/<release>.new.yaml: the manifest `helm upgrade --dry-run=server` renders (the API server
# validates it; Secrets are left out, --hide-secret); PLAN_DIR/<release>.old.yaml: `helm get manifest`
# of the installed release, empty when it is not installed.
helm_plan() {
  local context="$1" release="$2" chart="$3" namespace="$4" rendered err
  shift 4
  info "plan: helm upgrade --install ${release} ${chart} --dry-run=server > ${PLAN_DIR}/${release}.new.yaml"
  rendered="$(helm upgrade --install "${release}" "${chart}" --kube-context "${context}" --namespace "${namespace}" \
    "$@" --dry-run=server --hide-secret)" || fatal "helm upgrade --dry-run=server ${release} failed"
  # The text output: the release's header, HOOKS, then MANIFEST: up to NOTES: (hooks are not part of the manifest).
  printf '%s\n' "${rendered}" | awk '/^MANIFEST:$/ { m = 1; next } /^NOTES:$/ { m = 0 } m' >"${PLAN_DIR}/${release}.new.yaml"
  info "plan: helm get manifest ${release} > ${PLAN_DIR}/${release}.old.yaml"
  err="${PLAN_DIR}/${release}.err"
  if ! helm get manifest "${release}" --kube-context "${context}" --namespace "${namespace}" >"${PLAN_DIR}/${release}.old.yaml" 2>"${err}"; then
    # Not installed is an empty "before"; any other failure (no access, no cluster) ends the plan.
    grep -q 'release: not found' "${err}" || fatal "helm get manifest ${release}: $(<"${err}")"
    : >"${PLAN_DIR}/${release}.old.yaml"
  fi
  rm -f "${err}"
}

# Apply manifests (files or directories) relative to infra/. "${VAR}" placeholders are filled
# from the environment at apply time; the printed command names the file.
apply_manifest() {
  local cluster="$1" path file
  shift
  for path in "$@"; do
    while IFS= read -r file; do
      # shellcheck disable=SC2016  # a literal ${NAME} placeholder is what we look for
      if grep -q '\${[A-Z_]*}' "${INFRA_DIR}/${file}"; then
        printf '+ kubectl --context %s apply -f %s  # rendered\n' "$(kube_context "${cluster}")" "${file}"
        [[ "${DRY_RUN}" == "1" ]] || render "${INFRA_DIR}/${file}" | kubectl --context "$(kube_context "${cluster}")" apply -f -
      else
        run kubectl --context "$(kube_context "${cluster}")" apply -f "${file}"
      fi
    done < <(cd "${INFRA_DIR}" && find "${path}" -name '*.yaml' | sort)
  done
}

# Replace ${NAME} with the value of $NAME for every NAME present in the file.
render() {
  local content name names
  content="$(<"$1")"
  # shellcheck disable=SC2016  # literal ${NAME} placeholders are what we look for
  names="$(grep -o '\${[A-Z_]*}' "$1" | tr -d '${}' | sort -u)"
  for name in ${names}; do
    [[ -n "${!name:-}" ]] || fatal "setting ${name} is required by $1"
    content="${content//\$\{${name}\}/${!name}}"
  done
  printf '%s\n' "${content}"
}

# Entry point shared by the step scripts: NN-name.sh <cluster>
step_main() {
  local step="$1" cluster="${2:-}"
  [[ -n "${cluster}" ]] || fatal "usage: ${step}.sh <cluster>"
  if [[ "$(scope_of "${step}")" != "subscription" ]]; then
    require_scope "${step}" "${cluster}"
  fi
  "step" "${cluster}"
}
