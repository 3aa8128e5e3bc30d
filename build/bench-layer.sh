#!/usr/bin/env bash
# Layer writer throughput and memory, against the shell pipeline a user would otherwise run.
#  1. generates a ~100 MiB publish-like folder (a few hundred files, incompressible, text and
#     half-compressible content; seeded, so the same on every run);
#  2. times ours (`layer` command, wall clock including process start) and
#     `tar -c | gzip -6 | sha256sum`, five runs each, and takes the medians;
#  3. measures ours' peak RSS writing a ~1 GiB folder with /usr/bin/time -v (one run);
# and writes the figures to artifacts/bench/layer.txt. Goals: ours >= 80% of the pipeline's
# throughput, peak RSS < 150 MB. Generated data is deleted afterwards.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

runs=5
small_mb="${BENCH_SMALL_MB:-100}"
large_mb="${BENCH_LARGE_MB:-1024}"
work="$root/.tmp/bench-layer"
report="$root/artifacts/bench/layer.txt"
dll="$root/tests/MultiArch.Build.Benchmarks/bin/Release/net10.0/MultiArch.Build.Benchmarks.dll"

[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is missing; run build/install-prereqs.sh" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work" "$(dirname "$report")"
trap 'rm -rf "$work"' EXIT

dotnet build "$root/tests/MultiArch.Build.Benchmarks" -c Release -v quiet -nologo >/dev/null

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }

echo "Generating ${small_mb} MiB folder..."
gen="$(dotnet "$dll" generate "$work/small" "$small_mb")"
files="$(sed -n 's/^files: //p' <<<"$gen")"
bytes="$(sed -n 's/^bytes: //p' <<<"$gen")"

ours_times=(); ours_inproc=(); pipe_times=()
# One untimed run of each warms the page cache and the dotnet host.
dotnet "$dll" layer "$work/small" --out "$work/out" >/dev/null
tar -c -C "$work/small" . | gzip -6 | sha256sum >/dev/null
for i in $(seq "$runs"); do
  rm -rf "$work/out"
  start="$(now)"; out="$(dotnet "$dll" layer "$work/small" --out "$work/out")"; end="$(now)"
  ours_times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
  ours_inproc+=("$(sed -n 's/^seconds: //p' <<<"$out")")
  digest="$(sed -n 's/^digest: //p' <<<"$out")"
  start="$(now)"; tar -c -C "$work/small" . | gzip -6 | sha256sum >/dev/null; end="$(now)"
  pipe_times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
  echo "run $i: ours ${ours_times[-1]} s, pipeline ${pipe_times[-1]} s"
done
ours_s="$(printf '%s\n' "${ours_times[@]}" | median)"
ours_inproc_s="$(printf '%s\n' "${ours_inproc[@]}" | median)"
pipe_s="$(printf '%s\n' "${pipe_times[@]}" | median)"
ratio="$(awk -v o="$ours_s" -v p="$pipe_s" 'BEGIN { printf "%.2f", p / o }')"
gzip_bytes="$(stat -c %s "$work/out/sha256/${digest#sha256:}")"
rm -rf "$work/small" "$work/out"

echo "Generating ${large_mb} MiB folder..."
large_gen="$(dotnet "$dll" generate "$work/large" "$large_mb")"
large_bytes="$(sed -n 's/^bytes: //p' <<<"$large_gen")"
/usr/bin/time -v -o "$work/time.txt" dotnet "$dll" layer "$work/large" --out "$work/out-large" >"$work/large.txt"
rss_kb="$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$work/time.txt")"
large_s="$(sed -n 's/^seconds: //p' "$work/large.txt")"

{
  echo "Layer writer benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD), $(nproc) cores, dotnet $(dotnet --version)"
  echo "folder: ${small_mb} MiB, ${files} files, ${bytes} bytes (MultiArch.Build.Benchmarks generate); gzip blob ${gzip_bytes} bytes"
  echo "ours (dotnet MultiArch.Build.Benchmarks.dll layer, Optimal), wall clock incl. process start, median of ${runs}: ${ours_s} s = $(mbps "$bytes" "$ours_s") MB/s"
  echo "ours, in-process time only, median of ${runs}: ${ours_inproc_s} s = $(mbps "$bytes" "$ours_inproc_s") MB/s"
  echo "tar -c | gzip -6 | sha256sum, wall clock, median of ${runs}: ${pipe_s} s = $(mbps "$bytes" "$pipe_s") MB/s"
  echo "throughput ratio ours / pipeline (wall clock): ${ratio} (goal >= 0.80)"
  echo "peak RSS of ours writing ${large_mb} MiB (${large_bytes} bytes, /usr/bin/time -v, 1 run): $((rss_kb / 1024)) MB (${rss_kb} kB) (goal < 150 MB); took ${large_s} s in-process"
} | tee "$report"
echo "Written to $report"
