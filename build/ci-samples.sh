#!/usr/bin/env bash
# Runs samples/ci/github-actions.yml and samples/ci/github-actions-matrix.yml as a user's repository would run
# them on GitHub: every job and step in order, the run: scripts taken from the yml (build/run-workflow.py), on
# this machine against local registries; then checks the images with skopeo.
#
#   build/ci-samples.sh
#
# What stands in for what:
#   the user's repository  a fresh git repository in a temp folder: samples/WebApi at the workflows' PROJECT,
#                          its MultiArch.Build reference pinned to the packed version (as `dotnet add package`
#                          would write it), and a nuget.config that adds the local feed below
#   nuget.org              a local feed folder with the MultiArch.Build and MultiArch.Build.Tool just packed
#                          (the matrix workflow's NUGET_SOURCE variable names it for the tool install)
#   ghcr.io                a docker-registry on 127.0.0.1 that demands Basic auth: github.actor and the
#                          GITHUB_TOKEN secret are its user and password
#   github.repository      Acme/WebShop, with capitals as GitHub reports them
#   mcr.microsoft.com      an open registry with the base images of build/seed-base-images.sh
# Two settings reach every step as the runner machine's environment, only because this machine lacks what
# GitHub's runners have: UseAppHost=false (NuGet here has no linux-arm64 apphost pack) and ContainerBaseRegistry
# (no mcr.microsoft.com). The workflows themselves run unchanged, but for REGISTRY and MULTIARCH_TOOL_VERSION.
#
# Optional environment (the test run passes what its fixtures already have):
#   BASE_REGISTRY                    an open registry seeded by build/seed-base-images.sh (default: start one)
#   PACKAGE_FEED, PACKAGE_VERSION    a folder with MultiArch.Build.<version>.nupkg (default: pack it)
#   TOOL_FEED, TOOL_VERSION          a folder with MultiArch.Build.Tool.<version>.nupkg (default: pack it)
#   KEEP_WORK=1                      keep the temp folder (workspaces, logs) instead of deleting it
set -euo pipefail
if [ -z "${HOME:-}" ]; then HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"; export HOME; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for tool in dotnet docker-registry skopeo htpasswd jq curl git python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed; run build/install-prereqs.sh" >&2; exit 1; }
done
python3 -c 'import yaml' 2>/dev/null || { echo "error: PyYAML is missing (Debian: apt-get install python3-yaml)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/mab-ci-samples.XXXXXX")"
cleanup() {
  # Only the registries this script started, by the pids they wrote.
  for pidfile in "$work"/registry-*/registry.pid; do
    [ -f "$pidfile" ] && { kill "$(cat "$pidfile")" 2>/dev/null || true; }
  done
  if [ "${KEEP_WORK:-}" = 1 ]; then echo "Kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# docker-registry on a free port (build/start-registry.sh), with Basic auth from the htpasswd file $2 if given.
# Prints host:port.
start_registry() {
  local name="$1" port dir
  port="$(free_port)"
  dir="$work/registry-$name"
  bash "$root/build/start-registry.sh" "$port" "$dir" ${2:+"$2"} >"$work/start-registry-$name.log" 2>&1 ||
    { cat "$work/start-registry-$name.log" >&2; echo "error: the $name registry did not start" >&2; return 1; }
  echo "127.0.0.1:$port"
}

# ---- the stand-ins

feed="$work/feed"
mkdir -p "$feed"
stamp="0.0.0-ci.$(date -u +%Y%m%d%H%M%S)"
pack() { # project version
  echo "Packing $(basename "$1" .csproj) $2" >&2
  dotnet pack "$1" -c Release -p:Version="$2" -o "$feed" --artifacts-path "$work/build" >"$work/pack.log" 2>&1 ||
    { cat "$work/pack.log" >&2; return 1; }
}
if [ -n "${PACKAGE_FEED:-}" ]; then
  cp "$PACKAGE_FEED/MultiArch.Build.$PACKAGE_VERSION.nupkg" "$feed/"
else
  PACKAGE_VERSION="$stamp"
  pack "$root/nuget/MultiArch.Build.Package.csproj" "$PACKAGE_VERSION"
fi
if [ -n "${TOOL_FEED:-}" ]; then
  cp "$TOOL_FEED/MultiArch.Build.Tool.$TOOL_VERSION.nupkg" "$feed/"
else
  TOOL_VERSION="$stamp"
  pack "$root/src/MultiArch.Build.Tool/MultiArch.Build.Tool.csproj" "$TOOL_VERSION"
fi

if [ -z "${BASE_REGISTRY:-}" ]; then
  BASE_REGISTRY="$(start_registry base)"
  bash "$root/build/seed-base-images.sh" "$BASE_REGISTRY" >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
fi

actor="acme-bot"
token="ghs_$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
htpasswd -Bbn "$actor" "$token" >"$work/htpasswd"
ghcr="$(start_registry ghcr "$work/htpasswd")"
owner_repo="Acme/WebShop"
image="$ghcr/acme/webshop"
echo "Stand-ins: ghcr.io is $ghcr (Basic auth), base images from $BASE_REGISTRY, feed $feed"

repo="$work/repo"
project="$(python3 -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["env"]["PROJECT"])' "$root/samples/ci/github-actions.yml")"
mkdir -p "$repo/$(dirname "$project")"
(cd "$root/samples/WebApi" && tar --exclude=bin --exclude=obj -cf - .) | tar -xf - -C "$repo/$(dirname "$project")"
csproj="$repo/$project"
grep -q 'Version="$(MultiArchBuildVersion)"' "$csproj" || { echo "error: $csproj no longer has the MultiArch.Build reference this script pins" >&2; exit 1; }
sed -i "s/Version=\"\$(MultiArchBuildVersion)\"/Version=\"$PACKAGE_VERSION\"/" "$csproj"
cat >"$repo/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="feed" value="$feed" />
  </packageSources>
</configuration>
EOF
git -C "$repo" init -q -b main
git -C "$repo" remote add origin "https://github.com/$owner_repo.git"
git -C "$repo" add -A
git -C "$repo" -c user.name=Acme -c user.email=dev@acme.example commit -qm "The web shop"
sha="$(git -C "$repo" rev-parse HEAD)"

# ---- the workflows, each step as the yml has it

run_workflow() { # name ref ref_name [more run-workflow.py options]
  local name="$1" start=$SECONDS
  echo
  echo "== samples/ci/$name.yml"
  python3 "$root/build/run-workflow.py" "$root/samples/ci/$name.yml" \
    --checkout "$repo" --work "$work/run-$name" \
    --github repository="$owner_repo" --github ref="$2" --github ref_name="$3" --github sha="$sha" --github actor="$actor" \
    --secret GITHUB_TOKEN="$token" --var NUGET_SOURCE="$feed" \
    --set-env REGISTRY="$ghcr" "${@:4}" \
    --machine-env UseAppHost=false --machine-env ContainerBaseRegistry="$BASE_REGISTRY" \
    2>&1 | tee "$work/$name.log"
  echo "== samples/ci/$name.yml took $((SECONDS - start)) s"
}
fail() { echo "error: $*" >&2; exit 1; }
inspect() { skopeo inspect --raw --tls-verify=false --creds "$actor:$token" "docker://$1"; }
digest_of() { inspect "$1" | sha256sum | sed 's/^/sha256:/; s/ .*//'; }
platforms() { inspect "$1" | jq -r '[.manifests[] | .platform | "\(.os)/\(.architecture)\(if .variant then "/" + .variant else "" end)"] | sort | join(" ")'; }
# The samples run clean: a warning (MAB3101 for the capitals in Acme/WebShop, say) would show on every CI run.
expect_no_warning() { ! grep -E "warning [A-Z]+[0-9]+:" "$work/$1.log" || fail "$1: the steps above printed warnings"; }

run_workflow github-actions refs/heads/main main
[ "$(platforms "$image:latest")" = "linux/amd64 linux/arm64/v8" ] || fail "github-actions: $image:latest is $(platforms "$image:latest")"
[ "$(digest_of "$image:$sha")" = "$(digest_of "$image:latest")" ] || fail "github-actions: the tags $sha and latest differ"
expect_no_warning github-actions
echo "github-actions.yml: $image:latest and :$sha are one index, $(digest_of "$image:latest"), for $(platforms "$image:latest")"

run_workflow github-actions-matrix refs/tags/v1.2.3 v1.2.3 --set-env MULTIARCH_TOOL_VERSION="$TOOL_VERSION"
index="$(digest_of "$image:1.2.3")"
[ "$(platforms "$image:1.2.3")" = "linux/amd64 linux/arm64/v8" ] || fail "github-actions-matrix: $image:1.2.3 is $(platforms "$image:1.2.3")"
for tag in 1.2 1 latest; do
  [ "$(digest_of "$image:$tag")" = "$index" ] || fail "github-actions-matrix: $image:$tag is not the index 1.2.3 is"
done
pushed="$(cat "$work/run-github-actions-matrix/artifacts"/digest-linux-*/* | sort | tr '\n' ' ')"
listed="$(inspect "$image:1.2.3" | jq -r '[.manifests[].digest] | sort | join(" ")') "
[ "$listed" = "$pushed" ] || fail "github-actions-matrix: the index lists $listed, the build jobs pushed $pushed"
annotations="$(inspect "$image:1.2.3" | jq -r '.annotations | "\(."org.opencontainers.image.version") \(."org.opencontainers.image.revision")"')"
[ "$annotations" = "1.2.3 $sha" ] || fail "github-actions-matrix: the index's version and revision are $annotations"
grep -q "Digest: *$index" "$work/github-actions-matrix.log" || fail "github-actions-matrix: 'Show the index' did not print $index"
expect_no_warning github-actions-matrix
echo "github-actions-matrix.yml: $image:1.2.3, 1.2, 1 and latest are one index, $index, of the two digests the build jobs pushed"

echo
echo "Both CI samples ran every step and pushed what they should."
