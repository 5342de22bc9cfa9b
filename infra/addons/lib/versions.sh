#!/usr/bin/env bash
# Add-on versions, each pinned once, here (sourced by lib/common.sh; also read by
# infra/tests/versions.test.ts, which keeps every pin inside its Kubernetes range for the
# clusters' kubernetes_version).
#
#   pin NAME VERSION KUBERNETES CHECKED   # where the range comes from
#
# KUBERNETES is the range the project states for that release: MIN-MAX in Kubernetes minors,
# MIN+ where it states no upper bound, none where it states none. CHECKED is the day the release page / chart history was read.
# An environment variable of the same name overrides the pin (e.g. CERT_MANAGER_VERSION=v1.21.2).

pin() {
  # $3 and $4 are read by the test, not here
  local name="$1" version="$2"
  [[ -n "${!name:-}" ]] || printf -v "${name}" '%s' "${version}"
  export "${name?}"
}

# Gateway API CRDs (standard channel). "Support a minimum of the most recent 5 Kubernetes minor
# versions" (gateway-api docs, concepts/versioning); 1.36 was the newest minor at v1.6.1 (Jul 2026).
pin GATEWAY_API_VERSION v1.6.1 1.32-1.36 2026-11-29
# cert-manager 1.21 (released 2026-07-08, supported until 1.23): Kubernetes 1.33 → 1.36
# (cert-manager.io/docs/releases). 1.19 is out of support.
pin CERT_MANAGER_VERSION v1.21.1 1.33-1.36 2026-11-29
# External Secrets Operator chart/app 2.8.0: Kubernetes 1.35-1.36 (external-secrets.io,
# introduction/stability-support). ESO supports only its newest minor; 2.9 (2026-08-07) lists
# Kubernetes 1.36 alone, so 2.8 is the newest release tested on the clusters' 1.35. Serves the
# external-secrets.io/v1 API (manifests/external-secrets); 0.10 served v1beta1 and stopped at 1.31.
pin ESO_VERSION 2.8.0 1.35-1.36 2026-11-29
# Reloader chart 2.2.16 = app v1.4.21 (stakater/Reloader). No published range: built with
# client-go 0.35 (Kubernetes 1.35), CI on Kind with Kubernetes 1.30.
pin RELOADER_VERSION 2.2.16 1.30-1.35 2026-11-29
# Kyverno chart 3.8.2 = Kyverno 1.18.2 (2026-07-09), the supported release: Kubernetes 1.33 - 1.35
# (kyverno.io, installation/releases). 1.18 deprecates ClusterPolicy (kyverno.io/v1, used by
# manifests/kyverno) but still serves it; its removal is planned for 1.20.
pin KYVERNO_VERSION 3.8.2 1.33-1.35 2026-11-29
# Kiali server chart 2.29.0 (2026-07-13). Since Kiali 2.4 "each Kiali release is tested against
# the currently supported Istio releases" (kiali.io, prerequisites), which includes the add-on's
# Istio 1.30 (asm-1-30). Kiali states no Kubernetes range of its own; AKS offers an Istio
# revision only on the AKS versions it supports (az aks mesh get-upgrades).
pin KIALI_VERSION 2.29.0 none 2026-11-29
# Tetragon chart/app 1.7.0 (2026-04-29): CI validates the chart against Kubernetes 1.23
# (MIN_K8S_VERSION) and it is built with client-go 0.36 (Kubernetes 1.36).
pin TETRAGON_VERSION 1.7.0 1.23-1.36 2026-11-29
# OpenTelemetry Collector chart 0.170.0 ships collector 0.158.0 (its appVersion); the chart README
# requires "Kubernetes 1.24+". The image tag follows the chart, so the two cannot drift apart.
pin OTEL_CHART_VERSION 0.170.0 1.24+ 2026-11-29
pin OTEL_IMAGE_TAG 0.158.0 1.24+ 2026-11-29
# Fairwinds VPA chart 5.0.0 = VPA 1.7.1: "VPA 1.7 requires Kubernetes 1.28 or later" (chart
# README; kubeVersion >= 1.28). 4.x installed VPA 1.x releases that are no longer maintained.
pin VPA_VERSION 5.0.0 1.28+ 2026-11-29
