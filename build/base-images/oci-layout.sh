# Content-addressed edits of an OCI image layout that umoci 0.4 cannot make itself: the manifest's
# mediaType, the platform variant in an image config, and the multi-platform image index.
# Sourced by build/seed-base-images.sh.
#
# Every edit writes a new blob named by the sha256 of its exact bytes and re-points whatever referred
# to the old blob (manifest -> config, index.json -> manifest), so the layout stays valid and the
# digests stay honest. Old blobs are left in place; they are unreferenced and harmless.

readonly oci_manifest_type="application/vnd.oci.image.manifest.v1+json"
readonly oci_index_type="application/vnd.oci.image.index.v1+json"

# blob_file LAYOUT DIGEST -> path of the blob with that digest.
blob_file() { echo "$1/blobs/sha256/${2#sha256:}"; }

# store_blob LAYOUT FILE -> moves FILE into the layout's blobs and prints "DIGEST SIZE".
store_blob() {
  local layout="$1" file="$2" hex size
  hex="$(sha256sum "$file" | cut -d' ' -f1)"
  size="$(stat -c %s "$file")"
  mv -f "$file" "$layout/blobs/sha256/$hex"
  echo "sha256:$hex $size"
}

# tag_descriptor LAYOUT TAG -> the descriptor (JSON) that index.json holds for TAG; fails if none.
tag_descriptor() {
  local layout="$1" tag="$2" descriptor
  descriptor="$(jq -c --arg tag "$tag" \
    '[.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $tag)] | first // empty' \
    "$layout/index.json")"
  [ -n "$descriptor" ] || { echo "error: no tag '$tag' in $layout/index.json" >&2; return 1; }
  echo "$descriptor"
}

# point_tag LAYOUT TAG MEDIA_TYPE DIGEST SIZE -> makes TAG in index.json refer to that blob.
point_tag() {
  local layout="$1" tag="$2" media_type="$3" digest="$4" size="$5"
  jq -c --arg tag "$tag" --arg type "$media_type" --arg digest "$digest" --argjson size "$size" '
    .manifests |= ([.[] | select(.annotations["org.opencontainers.image.ref.name"] != $tag)]
      + [{mediaType: $type, digest: $digest, size: $size,
          annotations: {"org.opencontainers.image.ref.name": $tag}}])' \
    "$layout/index.json" >"$layout/index.json.new"
  mv -f "$layout/index.json.new" "$layout/index.json"
}

# finish_manifest LAYOUT TAG [VARIANT] -> rewrites TAG's manifest with its "mediaType" (umoci 0.4 leaves
# it out; image-spec says it SHOULD be there) and, given VARIANT, first rewrites its config with
# "variant": VARIANT. The config carries variant since image-spec 1.1; umoci 0.4 predates it and would
# drop the field, so this runs after all umoci edits. TAG is re-pointed at the new manifest.
finish_manifest() {
  local layout="$1" tag="$2" variant="${3:-}" manifest_digest manifest_size config_digest config_size
  manifest_digest="$(tag_descriptor "$layout" "$tag" | jq -r .digest)"
  config_digest="$(jq -r .config.digest "$(blob_file "$layout" "$manifest_digest")")"
  config_size="$(jq -r .config.size "$(blob_file "$layout" "$manifest_digest")")"

  if [ -n "$variant" ]; then
    jq -cj --arg variant "$variant" '.variant = $variant' \
      "$(blob_file "$layout" "$config_digest")" >"$layout/config.new"
    read -r config_digest config_size < <(store_blob "$layout" "$layout/config.new")
  fi

  jq -cj --arg type "$oci_manifest_type" --arg digest "$config_digest" --argjson size "$config_size" \
    '{schemaVersion, mediaType: $type, config: (.config + {digest: $digest, size: $size}), layers}
     + (if .annotations then {annotations} else {} end)' \
    "$(blob_file "$layout" "$manifest_digest")" >"$layout/manifest.new"
  read -r manifest_digest manifest_size < <(store_blob "$layout" "$layout/manifest.new")

  point_tag "$layout" "$tag" "$oci_manifest_type" "$manifest_digest" "$manifest_size"
}

# platform_json LAYOUT TAG -> {"architecture","os"[,"variant"]} read back from TAG's own config, so the
# index can never claim a platform the image does not have.
platform_json() {
  local layout="$1" tag="$2" manifest_digest config_digest
  manifest_digest="$(tag_descriptor "$layout" "$tag" | jq -r .digest)"
  config_digest="$(jq -r .config.digest "$(blob_file "$layout" "$manifest_digest")")"
  jq -c '{architecture, os} + (if .variant then {variant} else {} end)' \
    "$(blob_file "$layout" "$config_digest")"
}

# write_platform_index LAYOUT INDEX_TAG PLATFORM_TAG... -> writes an image index over the manifests of
# the PLATFORM_TAGs (in the order given) and tags it INDEX_TAG.
write_platform_index() {
  local layout="$1" index_tag="$2" manifests="[]" tag descriptor platform digest size
  shift 2
  for tag in "$@"; do
    descriptor="$(tag_descriptor "$layout" "$tag")"
    platform="$(platform_json "$layout" "$tag")"
    manifests="$(jq -c --argjson d "$descriptor" --argjson p "$platform" --arg type "$oci_manifest_type" \
      '. + [{mediaType: $type, digest: $d.digest, size: $d.size, platform: $p}]' <<<"$manifests")"
  done
  jq -cnj --arg type "$oci_index_type" --argjson manifests "$manifests" \
    '{schemaVersion: 2, mediaType: $type, manifests: $manifests}' >"$layout/index.new"
  read -r digest size < <(store_blob "$layout" "$layout/index.new")
  point_tag "$layout" "$index_tag" "$oci_index_type" "$digest" "$size"
}
