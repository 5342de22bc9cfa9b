#!/usr/bin/env bash
# 16-otel-collector — OpenTelemetry Collector → Application Insights (chart and image: addons/lib/versions.sh)
# scope: all
# Usage: 16-otel-collector.sh <cluster>   (normally run by ../install.sh; DRY_RUN=1 prints instead of running)
# Settings: OTEL_CHART_VERSION, OTEL_IMAGE_TAG (addons/lib/versions.sh),
#   APPLICATIONINSIGHTS_CONNECTION_STRING (tofu output application_insights_connection_string)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

step() {
  local cluster="$1"
  export APPLICATIONINSIGHTS_CONNECTION_STRING
  APPLICATIONINSIGHTS_CONNECTION_STRING="$(setting APPLICATIONINSIGHTS_CONNECTION_STRING)"
  # The connection string goes into a Secret from a rendered manifest, never onto a command line.
  apply_manifest "${cluster}" manifests/otel
  helm_repo open-telemetry https://open-telemetry.github.io/opentelemetry-helm-charts
  helm_install "${cluster}" otel-collector open-telemetry/opentelemetry-collector otel \
    --version "$(setting OTEL_CHART_VERSION)" \
    --values addons/values/otel-collector.yaml \
    --set "image.tag=$(setting OTEL_IMAGE_TAG)"
}

step_main "$(basename "${BASH_SOURCE[0]}" .sh)" "$@"
