#!/usr/bin/env bash
# 01-cert-manager — cert-manager with workload identity, Let's Encrypt DNS-01 on Azure DNS (version: addons/lib/versions.sh)
# scope: mgmt
# Usage: 01-cert-manager.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: CERT_MANAGER_VERSION (addons/lib/versions.sh), CERT_MANAGER_CLIENT_ID (tofu output
#   workload_identity_client_ids.cert_manager), SUBSCRIPTION_ID, DNS_ZONE_NAME, ACME_EMAIL
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1"
  export CERT_MANAGER_CLIENT_ID SUBSCRIPTION_ID DNS_ZONE_NAME ACME_EMAIL
  CERT_MANAGER_CLIENT_ID="$(setting CERT_MANAGER_CLIENT_ID)"
  SUBSCRIPTION_ID="$(setting SUBSCRIPTION_ID)"
  DNS_ZONE_NAME="$(setting DNS_ZONE_NAME example.com)"
  ACME_EMAIL="$(setting ACME_EMAIL)"
  helm_repo jetstack https://charts.jetstack.io
  helm_install "${cluster}" cert-manager jetstack/cert-manager cert-manager \
    --version "$(setting CERT_MANAGER_VERSION)" \
    --values addons/values/cert-manager.yaml \
    --set "serviceAccount.annotations.azure\.workload\.identity/client-id=${CERT_MANAGER_CLIENT_ID}"
  # Issuer before the certificate that names it.
  apply_manifest "${cluster}" manifests/hpa/cert-manager.yaml manifests/cert-manager/cluster-issuer.yaml \
    manifests/cert-manager/certificate-gateway.yaml
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
