#!/usr/bin/env bash
# Builds the .NET base images the tests and the demo build on, and pushes them to a local registry:
#
#   build/seed-base-images.sh REGISTRY_HOST        e.g. build/seed-base-images.sh 127.0.0.1:5000
#
# pushes three image indexes, each for linux/amd64 and linux/arm64/v8, tagged 10.0 and <runtime version>:
#   REGISTRY_HOST/dotnet/runtime-deps   Debian 12 libraries .NET needs, users root and app (1654)
#   REGISTRY_HOST/dotnet/runtime        + the .NET runtime             (one more layer)
#   REGISTRY_HOST/dotnet/aspnet         + the ASP.NET Core runtime     (one more layer)
# so each image's layers start with its base's layers.
#
# Why not mcr.microsoft.com: the machines this runs on reach only the Debian, NuGet and npm package
# registries. The images are therefore made from `apt-get download`ed Debian packages and the .NET
# runtime installed on this machine, with independent tools only (dpkg-deb, tar, umoci, jq, skopeo),
# so that the product's tests check the product against images the product did not make.
#
# arm64 caveat: no linux-arm64 .NET runtime is reachable here (NuGet serves runtime packs for
# linux-x64 and win-x64 only). The arm64 images have the arm64 Debian libraries and, where the runtime
# would be, build/base-images/ARM64-RUNTIME-NOT-AVAILABLE.txt. They are correct linux/arm64/v8 images
# for structure tests but cannot run an app.
#
# Reproducible: every file gets the mtime SOURCE_DATE_EPOCH (default: Debian 12's release day), as do
# the config's and history's "created", so the same packages and runtime give the same digests.
# Cached: downloads and the built OCI layout live in BASE_IMAGE_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/multiarch-build/base-images); a rerun only pushes, and the images are
# rebuilt when the packages, the runtime version, the epoch or these scripts change.
# Runs as root: it may add the arm64 dpkg architecture and update apt's package lists.
set -euo pipefail

fail() { echo "error: $*" >&2; exit 1; }

[ $# -eq 1 ] || fail "usage: $0 REGISTRY_HOST   (for example 127.0.0.1:5000)"
registry="$1"
[ "$(id -u)" = "0" ] || fail "run as root (sudo $0 $registry): it downloads packages with apt-get and may add the arm64 dpkg architecture"
for tool in apt-get apt-cache dpkg dpkg-deb umoci skopeo jq tar sha256sum flock curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run build/install-prereqs.sh"
done

base_images_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/base-images" && pwd)"
# shellcheck source=base-images/rootfs.sh
source "$base_images_dir/rootfs.sh"
# shellcheck source=base-images/oci-layout.sh
source "$base_images_dir/oci-layout.sh"

cache="${BASE_IMAGE_CACHE:-${XDG_CACHE_HOME:-${HOME:?set HOME or BASE_IMAGE_CACHE}/.cache}/multiarch-build/base-images}"
platforms=(amd64 arm64)
images=(runtime-deps runtime aspnet)
major=10.0
epoch="${SOURCE_DATE_EPOCH:-1686355200}"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"

dotnet_root="${BASE_IMAGE_DOTNET_ROOT:-/usr/share/dotnet}"
newest_version() { LC_ALL=C ls "$dotnet_root/shared/$1" 2>/dev/null | grep "^$major\." | sort -V | tail -n1; }
runtime_version="$(newest_version Microsoft.NETCore.App)"
aspnet_version="$(newest_version Microsoft.AspNetCore.App)"
[ -x "$dotnet_root/dotnet" ] && [ -n "$runtime_version" ] && [ -n "$aspnet_version" ] ||
  fail "no .NET $major runtime and ASP.NET Core runtime under $dotnet_root; install the .NET $major SDK or set BASE_IMAGE_DOTNET_ROOT"

curl -sf -o /dev/null --max-time 5 "http://$registry/v2/" ||
  fail "no open registry answers http://$registry/v2/; start one with build/start-registry.sh"

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # one seeder per cache at a time; a second waits and then finds the layout ready

layout="$cache/layout"

build_key() {
  {
    cat "${BASH_SOURCE[0]}" "$base_images_dir"/*
    for arch in "${platforms[@]}"; do LC_ALL=C ls "$cache/debs/$arch"; done
    echo "$runtime_version $aspnet_version $epoch"
  } | sha256sum | cut -d' ' -f1
}

# add_layer TAG NEW_TAG TAR DESCRIPTION -> NEW_TAG = TAG plus the layer TAR, with a fixed history time.
add_layer() {
  umoci raw add-layer --image "$layout.new:$1" --tag "$2" \
    --history.created "$created" --history.created_by "$4" "$3"
}

# build_platform ARCH -> runtime-deps-ARCH, runtime-ARCH and aspnet-ARCH in the new layout.
build_platform() {
  local arch="$1" work="$cache/work/$arch"
  mkdir -p "$work"
  echo "Building linux/$arch layers"
  make_deps_rootfs "$cache/debs/$arch" "$work/deps"
  pack_layer "$work/deps" "$work/deps.tar" "$epoch"
  if [ "$arch" = "amd64" ]; then
    make_dotnet_tree "$dotnet_root" "$runtime_version" "$work/runtime"
    make_aspnet_tree "$dotnet_root" "$aspnet_version" "$work/aspnet"
  else
    make_marker_tree /usr/share/dotnet "$work/runtime"
    make_marker_tree /usr/share/dotnet/shared/Microsoft.AspNetCore.App "$work/aspnet"
  fi
  pack_layer "$work/runtime" "$work/runtime.tar" "$epoch"
  pack_layer "$work/aspnet" "$work/aspnet.tar" "$epoch"

  umoci new --image "$layout.new:runtime-deps-$arch"
  umoci config --image "$layout.new:runtime-deps-$arch" --no-history --created "$created" \
    --os linux --architecture "$arch" \
    --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --config.env APP_UID=1654 --config.env DOTNET_RUNNING_IN_CONTAINER=true
  add_layer "runtime-deps-$arch" "runtime-deps-$arch" "$work/deps.tar" \
    "Debian 12 packages: $(package_names | paste -sd' ')"

  add_layer "runtime-deps-$arch" "runtime-$arch" "$work/runtime.tar" ".NET runtime $runtime_version"
  # DOTNET_VERSION is set on arm64 too, so both platforms describe the same release; the marker file
  # in the image says that its runtime is missing.
  umoci config --image "$layout.new:runtime-$arch" --no-history --config.env "DOTNET_VERSION=$runtime_version"

  add_layer "runtime-$arch" "aspnet-$arch" "$work/aspnet.tar" "ASP.NET Core runtime $aspnet_version"
  umoci config --image "$layout.new:aspnet-$arch" --no-history \
    --config.env "ASPNET_VERSION=$aspnet_version" --config.env ASPNETCORE_HTTP_PORTS=8080
}

build_layout() {
  rm -rf "$cache/work" "$layout.new"
  umoci init --layout "$layout.new"
  for arch in "${platforms[@]}"; do build_platform "$arch"; done
  for image in "${images[@]}"; do
    finish_manifest "$layout.new" "$image-amd64"
    finish_manifest "$layout.new" "$image-arm64" v8
  done
  for image in "${images[@]}"; do
    write_platform_index "$layout.new" "$image-$major" "$image-amd64" "$image-arm64"
  done
  rm -rf "$cache/work" "$layout"
  mv "$layout.new" "$layout"
}

# check_pushed IMAGE -> fails unless the registry holds the same index as the layout, with both
# platforms and arm64's variant v8 in the index and in the arm64 config.
check_pushed() {
  local image="$1" ref="docker://$registry/dotnet/$1:$major" raw local_digest remote_digest platforms config
  raw="$(skopeo inspect --raw --tls-verify=false "$ref")"
  remote_digest="sha256:$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)"
  local_digest="$(tag_descriptor "$layout" "$image-$major" | jq -r .digest)"
  [ "$remote_digest" = "$local_digest" ] || fail "$ref is $remote_digest, expected $local_digest"
  platforms="$(jq -r '[.mediaType, (.manifests[] | .platform | [.os, .architecture, .variant // ""] | join("/"))] | join(" ")' <<<"$raw")"
  [ "$platforms" = "$oci_index_type linux/amd64/ linux/arm64/v8" ] || fail "$ref has unexpected platforms: $platforms"
  config="$(skopeo inspect --config --tls-verify=false --override-os linux --override-arch arm64 --override-variant v8 "$ref")"
  [ "$(jq -r '[.os, .architecture, .variant] | join("/")' <<<"$config")" = "linux/arm64/v8" ] ||
    fail "$ref arm64 config lacks variant v8: $(jq -c '{os, architecture, variant}' <<<"$config")"
  config="$(skopeo inspect --config --tls-verify=false --override-os linux --override-arch amd64 "$ref")"
  [ "$(jq -r '[.os, .architecture] | join("/")' <<<"$config")" = "linux/amd64" ] || fail "$ref amd64 config is wrong"
}

# check_layer_prefixes -> each image's layers start with its base's layers, on every platform.
check_layer_prefixes() {
  local arch base child
  for arch in "${platforms[@]}"; do
    for pair in runtime-deps:runtime runtime:aspnet; do
      base="$(jq -c '[.layers[].digest]' "$(blob_file "$layout" "$(tag_descriptor "$layout" "${pair%%:*}-$arch" | jq -r .digest)")")"
      child="$(jq -c '[.layers[].digest]' "$(blob_file "$layout" "$(tag_descriptor "$layout" "${pair##*:}-$arch" | jq -r .digest)")")"
      jq -e --argjson b "$base" --argjson c "$child" '($c | length) == ($b | length) + 1 and $c[0:($b | length)] == $b' \
        <<<null >/dev/null || fail "$arch: ${pair##*:} does not extend ${pair%%:*}"
    done
  done
}

for arch in "${platforms[@]}"; do download_debs "$arch" "$cache/debs/$arch"; done
key="$(build_key)"
if [ "$(cat "$cache/layout.key" 2>/dev/null)" != "$key" ] || [ ! -f "$layout/index.json" ]; then
  build_layout
  echo "$key" >"$cache/layout.key"
else
  echo "Reusing the built images in $layout"
fi
check_layer_prefixes

for image in "${images[@]}"; do
  for tag in "$major" "$runtime_version"; do
    skopeo copy --quiet --all --preserve-digests --dest-tls-verify=false \
      "oci:$layout:$image-$major" "docker://$registry/dotnet/$image:$tag"
  done
  check_pushed "$image"
  echo "$registry/dotnet/$image:$major ($runtime_version) $(tag_descriptor "$layout" "$image-$major" | jq -r .digest)"
done
