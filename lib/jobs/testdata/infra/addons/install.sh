#!/usr/bin/env bash
# Stand-in for infra/addons/install.sh in the runner's tests (real process, real signals).
#   --cluster app1  colours, stderr, secrets to redact; exit 0
#   --cluster app2  ignores SIGINT and SIGTERM (cancel must escalate to SIGKILL)
#   --cluster mgmt  a line every 50 ms until SIGINT, then cleans up and exits 130
#   --cluster all   a line on stderr, exit 3
set -uo pipefail
cluster=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cluster) cluster="$2"; shift 2 ;;
    *) shift ;;
  esac
done
case "${cluster}" in
  app1)
    printf '\033[1m==> [app1] 05-kyverno\033[0m\n'
    printf '+ helm upgrade --install kyverno\n'
    printf 'oops on stderr\n' >&2
    printf 'Authorization: Bearer abc.def-ghi\n'
    printf 'az login --service-principal -u x --client-secret sup3r-s3cret\n'
    printf 'client_secret=hunter22hunter\n'
    printf 'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=c2VjcmV0a2V5PT0=;EndpointSuffix=core.windows.net\n'
    printf 'https://st.blob.core.windows.net/c/b?sv=2024-01-01&sig=AbC%%2Bdef%%3D&se=2026\n'
    printf -- '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nqwertyuiop\n-----END RSA PRIVATE KEY-----\n'
    printf 'the configured value is %s here\n' "${TF_VAR_client_secret:-unset}"
    printf 'home is %s, server secret is %s\n' "${HOME:-none}" "${AUTH_CLIENT_SECRET:-absent}"
    printf 'no newline at the end'
    exit 0
    ;;
  app2)
    trap 'echo "ignoring SIGINT"' INT
    trap 'echo "ignoring SIGTERM"' TERM
    echo "stubborn: started"
    while true; do sleep 0.05; done
    ;;
  mgmt)
    trap 'echo "interrupted: releasing state lock"; exit 130' INT
    i=0
    while true; do
      i=$((i + 1))
      echo "line ${i}"
      sleep 0.05
    done
    ;;
  all)
    echo "xx something failed" >&2
    exit 3
    ;;
esac
