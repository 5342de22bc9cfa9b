#!/usr/bin/env bash
# 02-external-secrets — External Secrets Operator (external-secrets.io/v1 API), Key Vault store; PushSecret of the gateway certificate on mgmt
# scope: all
# Usage: 02-external-secrets.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: ESO_VERSION (addons/lib/versions.sh), ESO_CLIENT_ID_<CLUSTER> (tofu output
#   workload_identity_client_ids.external_secrets), KEY_VAULT_URI
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1" upper
  upper="$(tr '[:lower:]' '[:upper:]' <<<"${cluster}")"
  export KEY_VAULT_URI
  KEY_VAULT_URI="$(setting KEY_VAULT_URI)"
  helm_repo external-secrets https://charts.external-secrets.io
  helm_install "${cluster}" external-secrets external-secrets/external-secrets external-secrets \
    --version "$(setting ESO_VERSION)" \
    --values addons/values/external-secrets.yaml \
    --set "serviceAccount.annotations.azure\.workload\.identity/client-id=$(setting "ESO_CLIENT_ID_${upper}")"
  apply_manifest "${cluster}" manifests/hpa/external-secrets.yaml manifests/external-secrets/cluster-secret-store.yaml
  if [[ "${cluster}" == "mgmt" ]]; then
    # The certificate cert-manager wrote is pushed to Key Vault; the Secret stays
    # readable only by name (tls-secret-rbac) and is re-issued before 90 days.
    apply_manifest "${cluster}" manifests/external-secrets/push-secret.yaml manifests/external-secrets/tls-secret-rbac.yaml
  elif in_scope 04-istio "${cluster}"; then
    apply_manifest "${cluster}" manifests/external-secrets/gateway-external-secret.yaml manifests/external-secrets/tls-secret-rbac.yaml
  fi
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
