#!/usr/bin/env bash
# 07-kiali — Kiali (kiali-server chart; version: addons/lib/versions.sh), mgmt only
# scope: mgmt
# Usage: 07-kiali.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: KIALI_VERSION (2.21.0; the chart version equals the Kiali version),
#   PROMETHEUS_QUERY_URL (Azure Monitor workspace query endpoint, reached through a token proxy)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  helm_repo kiali https://kiali.org/helm-charts
  helm_install "$1" kiali-server kiali/kiali-server aks-istio-system \
    --version "$(setting KIALI_VERSION)" \
    --values addons/values/kiali.yaml \
    --set "external_services.prometheus.url=$(setting PROMETHEUS_QUERY_URL http://prometheus-proxy.monitoring:8080)" \
    --set "external_services.istio.config_map_name=istio-${ISTIO_REVISION}" \
    --set "external_services.istio.istiod_deployment_name=istiod-${ISTIO_REVISION}"
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
