#!/usr/bin/env bash
# 04-istio — Istio add-on: declared in HCL (azurerm turns it off when the block is absent); this step only configures it (sidecars, mTLS, gateway)
# scope: mgmt app1
# Usage: 04-istio.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# The mesh itself is in modules/aks (service_mesh_profile), revision asm-1-30+ (older revisions are past end of life). From
# asm-1-30 the add-on uses Istio CNI chaining, so PSA baseline admits meshed pods.
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1" minor
  minor="${ISTIO_REVISION##*-}"
  [[ "${minor}" =~ ^[0-9]+$ && "${minor}" -ge 30 ]] || fatal "ISTIO_REVISION ${ISTIO_REVISION}: asm-1-30 or newer is required"
  run az aks mesh get-revisions --location koreacentral --output table
  run az aks show --resource-group "$(resource_group "${cluster}")" --name "$(cluster_name "${cluster}")" \
    --query serviceMeshProfile --output json
  apply_manifest "${cluster}" manifests/istio/gateway.yaml
  if [[ "${cluster}" == "app1" ]]; then
    # Sidecar injection and mTLS STRICT on app1.
    export ISTIO_REVISION
    apply_manifest "${cluster}" manifests/istio/peer-authentication.yaml
  fi
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
