#!/usr/bin/env bash
# Installs the real servers the e2e suites run against, from Debian's packages, when missing.
# Idempotent; needs root (as on CI and the developer machines) or passwordless sudo.
set -euo pipefail
need=()
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# Single-node VictoriaMetrics (binary `victoria-metrics`, 1.79 on bookworm): the global-view (CLUSTER_LABEL) suite.
command -v victoria-metrics >/dev/null 2>&1 || need+=(victoria-metrics)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# A real browser renders the GraphiQL page under the API's content security policy.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing test dependencies: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# --no-install-recommends keeps the exporters and web consoles Debian recommends off the machine.
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian's postinst may start the system services; the suites start their own instances on free ports.
for svc in prometheus redis-server victoria-metrics; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then $SUDO systemctl stop "$svc" || true; fi
done
