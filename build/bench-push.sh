#!/usr/bin/env bash
# Push benchmark: a ~100 MiB two-platform OCI layout pushed to a loopback docker-registry by the
# MultiArch.Build client and by `skopeo copy --all`, interleaved, each run into a fresh registry
# (so neither tool can reuse blobs or mounts from an earlier run). Whole commands are timed.
# Writes the runs and the medians to artifacts/bench/push.txt.
#   usage: build/bench-push.sh [runs=5] [size-MiB=100]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
runs="${1:-5}"
size_mib="${2:-100}"
out="$root/artifacts/bench/push.txt"
mkdir -p "$(dirname "$out")"
for tool in docker-registry skopeo; do command -v "$tool" >/dev/null || { echo "error: $tool is missing; run build/install-prereqs.sh" >&2; exit 1; }; done

work="$(mktemp -d)"
registry_pid=""
stop_registry() {
  if [ -n "$registry_pid" ]; then
    kill "$registry_pid" 2>/dev/null || true
    while kill -0 "$registry_pid" 2>/dev/null; do sleep 0.05; done
    registry_pid=""
  fi
}
trap 'stop_registry; rm -rf "$work"' EXIT

dotnet build tests/MultiArch.Build.PushBench -c Release -nologo -v q >/dev/null
bench="dotnet $root/tests/MultiArch.Build.PushBench/bin/Release/net10.0/MultiArch.Build.PushBench.dll"
$bench make-layout "$work/layout" "$size_mib"
layout_bytes="$(du -sb "$work/layout" | cut -f1)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Starts a fresh registry with empty storage (build/start-registry.sh); sets $port.
start_registry() {
  stop_registry
  port="$(free_port)"
  local dir="$work/registry-$port"
  bash "$root/build/start-registry.sh" "$port" "$dir" >/dev/null
  registry_pid="$(cat "$dir/registry.pid")"
}

# Prints the wall time of a command in seconds.
timed() { local start end; start="$(date +%s.%N)"; "$@" >/dev/null 2>"$work/last-error" || { cat "$work/last-error" >&2; exit 1; }; end="$(date +%s.%N)"; awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f\n", b - a}'; }

ours=(); theirs=()
# One untimed warm-up of each, so disk caches and the dotnet runtime start equally warm.
start_registry; timed $bench push "$work/layout" "127.0.0.1:$port/warm/mab:bench" >/dev/null
start_registry; timed skopeo copy --all --dest-tls-verify=false "oci:$work/layout:bench" "docker://127.0.0.1:$port/warm/skopeo:bench" >/dev/null
for i in $(seq 1 "$runs"); do
  start_registry
  ours+=("$(timed $bench push "$work/layout" "127.0.0.1:$port/bench/mab$i:bench")")
  start_registry
  theirs+=("$(timed skopeo copy --all --dest-tls-verify=false "oci:$work/layout:bench" "docker://127.0.0.1:$port/bench/skopeo$i:bench")")
  echo "run $i: MultiArch.Build ${ours[-1]} s, skopeo ${theirs[-1]} s"
done
stop_registry

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
m_ours="$(median "${ours[@]}")"; m_theirs="$(median "${theirs[@]}")"
{
  echo "push benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores)"
  echo "layout: $layout_bytes bytes, 2 platforms, 10 layers (2 shared), random gzip"
  echo "target: docker-registry $(docker-registry --version | awk '{print $3}') on 127.0.0.1, a fresh registry per run"
  echo "command: build/bench-push.sh $runs $size_mib"
  echo "MultiArch.Build runs (s): ${ours[*]}"
  echo "skopeo $(skopeo --version | awk '{print $3}') runs (s): ${theirs[*]}"
  echo "median MultiArch.Build: $m_ours s"
  echo "median skopeo copy --all: $m_theirs s"
  echo "ratio MultiArch.Build / skopeo: $(awk -v a="$m_ours" -v b="$m_theirs" 'BEGIN {printf "%.3f", a / b}')"
} | tee "$out"
