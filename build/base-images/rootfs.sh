# Builds the file trees of the base image layers and packs them into reproducible tar archives.
# Sourced by build/seed-base-images.sh; expects $base_images_dir (this folder) to be set.

# package_names -> the package list, comments and blank lines removed.
package_names() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$base_images_dir/packages.txt"; }

# ensure_apt_architecture ARCH -> makes apt know ARCH's package lists (dpkg --add-architecture + update).
ensure_apt_architecture() {
  local arch="$1"
  if [ "$arch" != "$(dpkg --print-architecture)" ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    echo "Adding dpkg architecture $arch so apt can download its packages"
    dpkg --add-architecture "$arch"
  fi
  if ! apt-cache show --no-all-versions "libc6:$arch" >/dev/null 2>&1; then
    apt-get -o DPkg::Lock::Timeout=300 -q update >/dev/null
  fi
}

# package_specs ARCH -> "name:ARCH" for each package, or just "name" for Architecture: all packages
# (apt has no "tzdata:arm64" candidate; arch-independent files are the same for every platform).
package_specs() {
  local arch="$1" name package_arch
  for name in $(package_names); do
    package_arch="$(apt-cache show --no-all-versions "$name" 2>/dev/null | sed -n 's/^Architecture: //p' | head -n1)"
    if [ "$package_arch" = "all" ]; then echo "$name"; else echo "$name:$arch"; fi
  done
}

# download_debs ARCH DEST -> the .debs for ARCH in DEST, downloaded once and reused afterwards.
download_debs() {
  local arch="$1" dest="$2" wanted
  wanted="$(package_names | sha256sum | cut -d' ' -f1)"
  if [ -f "$dest/.packages" ] && [ "$(cat "$dest/.packages")" = "$wanted" ]; then return 0; fi

  ensure_apt_architecture "$arch"
  rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
  local specs
  mapfile -t specs < <(package_specs "$arch")
  # Stale package lists point at superseded versions the mirror no longer has: update once and retry.
  if ! (cd "$dest.tmp" && apt-get -o APT::Sandbox::User=root -q download "${specs[@]}" >/dev/null); then
    apt-get -o DPkg::Lock::Timeout=300 -q update >/dev/null
    (cd "$dest.tmp" && apt-get -o APT::Sandbox::User=root -q download "${specs[@]}" >/dev/null)
  fi
  echo "$wanted" >"$dest.tmp/.packages"
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
}

# write_file PATH MODE CONTENT -> writes CONTENT (backslash escapes interpreted) to PATH with MODE.
write_file() { mkdir -p "$(dirname "$1")"; printf '%b' "$3" >"$1"; chmod "$2" "$1"; }

# make_deps_rootfs DEBDIR ROOTFS -> a Debian 12 tree with the .NET run-time libraries, root and the
# app user (uid/gid 1654, the id the .NET images use), and what the skipped maintainer scripts make.
make_deps_rootfs() {
  local debdir="$1" rootfs="$2" deb
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  for deb in $(LC_ALL=C ls "$debdir"/*.deb); do dpkg-deb -x "$deb" "$rootfs"; done
  # Changelogs, man pages and lintian data are not needed at run time; copyright files stay.
  rm -rf "$rootfs"/usr/share/doc/*/changelog* "$rootfs"/usr/share/doc/*/NEWS* \
    "$rootfs/usr/share/man" "$rootfs/usr/share/lintian" "$rootfs/usr/share/info"

  write_file "$rootfs/etc/passwd" 0644 'root:x:0:0:root:/root:/bin/sh\napp:x:1654:1654::/home/app:/bin/sh\n'
  write_file "$rootfs/etc/group" 0644 'root:x:0:\napp:x:1654:\n'
  write_file "$rootfs/etc/shadow" 0640 'root:*:19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n'
  write_file "$rootfs/etc/nsswitch.conf" 0644 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n'
  write_file "$rootfs/usr/lib/os-release" 0644 \
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n'
  ln -sfn ../usr/lib/os-release "$rootfs/etc/os-release"
  ln -sfn dash "$rootfs/bin/sh"
  local command
  mkdir -p "$rootfs/usr/bin"
  for command in cat env find grep head id ls pwd sleep stat tail wc whoami; do
    ln -sfn ../../bin/busybox "$rootfs/usr/bin/$command"
  done

  # tzdata's and ca-certificates' postinst would make these.
  ln -sfn /usr/share/zoneinfo/Etc/UTC "$rootfs/etc/localtime"
  write_file "$rootfs/etc/timezone" 0644 'Etc/UTC\n'
  mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/usr/lib/ssl"
  LC_ALL=C find "$rootfs/usr/share/ca-certificates" -name '*.crt' | LC_ALL=C sort | xargs cat \
    >"$rootfs/etc/ssl/certs/ca-certificates.crt"
  # OpenSSL's compiled-in defaults (where .NET looks for trusted roots) point into /usr/lib/ssl.
  ln -sfn /etc/ssl/certs "$rootfs/usr/lib/ssl/certs"
  ln -sfn /etc/ssl/certs/ca-certificates.crt "$rootfs/usr/lib/ssl/cert.pem"

  mkdir -p "$rootfs/tmp" "$rootfs/var/tmp" "$rootfs/root" "$rootfs/home/app"
  chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
  chmod 0700 "$rootfs/root"
  chown 1654:1654 "$rootfs/home/app"
  chmod 0750 "$rootfs/home/app"
}

# make_dotnet_tree DOTNET_ROOT VERSION TREE -> the host's dotnet muxer, host/ and the shared runtime
# VERSION under /usr/share/dotnet, with /usr/bin/dotnet pointing at the muxer.
make_dotnet_tree() {
  local dotnet_root="$1" version="$2" tree="$3"
  rm -rf "$tree" && mkdir -p "$tree/usr/share/dotnet/shared/Microsoft.NETCore.App" "$tree/usr/bin"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$tree/usr/share/dotnet/"
  cp -a "$dotnet_root"/LICENSE.txt "$dotnet_root"/ThirdPartyNotices.txt "$tree/usr/share/dotnet/" 2>/dev/null || true
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$version" "$tree/usr/share/dotnet/shared/Microsoft.NETCore.App/"
  ln -sfn ../share/dotnet/dotnet "$tree/usr/bin/dotnet"
}

# make_aspnet_tree DOTNET_ROOT VERSION TREE -> the shared ASP.NET Core framework VERSION.
make_aspnet_tree() {
  local dotnet_root="$1" version="$2" tree="$3"
  rm -rf "$tree" && mkdir -p "$tree/usr/share/dotnet/shared/Microsoft.AspNetCore.App"
  cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$version" "$tree/usr/share/dotnet/shared/Microsoft.AspNetCore.App/"
}

# make_marker_tree DIR TREE -> only the "no arm64 runtime" note, placed in DIR of the image.
make_marker_tree() {
  local dir="$1" tree="$2"
  rm -rf "$tree" && mkdir -p "$tree$dir"
  cp "$base_images_dir/ARM64-RUNTIME-NOT-AVAILABLE.txt" "$tree$dir/"
  chmod 0644 "$tree$dir/ARM64-RUNTIME-NOT-AVAILABLE.txt"
}

# pack_layer TREE TAR EPOCH -> an uncompressed tar of TREE that depends only on the files' names,
# contents, modes and owners: sorted entries, one fixed mtime, numeric ids, no atime/ctime, no pid in
# PAX header names. Directories leading to the content (usr/, usr/share/ ...) are entries too.
pack_layer() {
  local tree="$1" tar="$2" epoch="$3" top
  mapfile -t top < <(cd "$tree" && LC_ALL=C ls -A)
  LC_ALL=C tar -C "$tree" --sort=name --format=posix \
    --pax-option='exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime' \
    --mtime="@$epoch" --numeric-owner -cf "$tar" "${top[@]}"
}
