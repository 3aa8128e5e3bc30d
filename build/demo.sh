#!/usr/bin/env bash
# The main job, end to end on one machine with no Docker and no internet:
#   1. installs docker-registry, skopeo, umoci and podman, and starts a registry on 127.0.0.1:${PORT:-5000};
#   2. seeds it with two-platform .NET base images (linux/amd64 + linux/arm64/v8) made from Debian packages;
#   3. packs MultiArch.Build and publishes samples/HelloMultiArch as a two-platform image;
#   4. prints the image index and runs the linux/amd64 image with podman.
set -euo pipefail
# dotnet, NuGet and the base-image cache all live under HOME; a bare CI environment may not set it.
if [ -z "${HOME:-}" ]; then HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"; export HOME; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${PORT:-5000}"
registry="127.0.0.1:$port"

bash "$root/build/install-prereqs.sh"
bash "$root/build/start-registry.sh" "$port"
bash "$root/build/seed-base-images.sh" "$registry"

version="$(bash "$root/build/pack.sh")"
echo "Packed MultiArch.Build $version"

# UseAppHost=false: this machine's NuGet feed has no linux-arm64 apphost pack. Real users leave it out.
dotnet publish "$root/samples/HelloMultiArch/HelloMultiArch.csproj" -c Release \
  -p:MultiArchBuildVersion="$version" \
  -p:ContainerPlatforms="linux-x64 linux-arm64" \
  -p:ContainerRegistry="$registry" \
  -p:ContainerBaseImage="$registry/dotnet/runtime:10.0" \
  -p:ContainerImageTags="demo" \
  -p:UseAppHost=false

echo
echo "== The image index at $registry/samples/hello-multiarch:demo"
skopeo inspect --raw --tls-verify=false "docker://$registry/samples/hello-multiarch:demo" | jq .
echo
echo "== Running the linux/amd64 image with podman"
podman run --rm --pull=always --net=none --tls-verify=false --platform linux/amd64 "$registry/samples/hello-multiarch:demo"
