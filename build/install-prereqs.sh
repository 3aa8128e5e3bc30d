#!/usr/bin/env bash
# Installs the real tools the tests and the demo use: a CNCF distribution registry, and skopeo,
# umoci, oci-image-tool, podman and containerd (ctr) to check what MultiArch.Build writes, and squid, the
# proxy pushes go through in the proxy tests; git and PyYAML for build/ci-samples.sh; python3-samba, whose NDR parser
# reads the security descriptors of Windows layers in the tests, apart from the product; Mono's runtime (no mono-devel, about
# 35 s to install), which runs the package's .NET Framework tasks in the tests, as there is no MSBuild.exe here. Safe to run again.
# The tests start their own containerd and squid; the packaged services are not needed.
set -euo pipefail

packages=(docker-registry skopeo umoci oci-image-tool podman runc containerd apache2-utils time jq curl squid zstd git python3-yaml python3-samba mono-runtime libmono-system-xaml4.0-cil)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# podman in an unprivileged sandbox: runc, cgroupfs, and no ulimits it cannot set.
if [ ! -f /etc/containers/containers.conf ] || ! grep -q 'cgroup_manager = "cgroupfs"' /etc/containers/containers.conf; then
  $SUDO mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n' | $SUDO tee /etc/containers/containers.conf >/dev/null
fi

for tool in docker-registry skopeo umoci oci-image-tool podman containerd ctr htpasswd mono; do
  command -v "$tool" >/dev/null || { echo "error: $tool is still missing after install" >&2; exit 1; }
done
echo "Prerequisites ready."
