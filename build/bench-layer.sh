#!/usr/bin/env bash
# Layer writer throughput and memory: the parallel writer against the single-stream writer it
# replaced and against the shell pipeline a user would otherwise run.
#  1. builds the benchmark app twice: from this tree (new: gzip blocks compressed on every core) and
#     from BENCH_BASELINE (old: one gzip stream on one core; default da9443a, the last commit with it),
#     the latter from `git archive` into a temp folder, so the work tree and .git are untouched;
#  2. generates a ~100 MiB publish-like folder (a few hundred files, incompressible, text and
#     half-compressible content; seeded, so the same on every run);
#  3. times old, new (one thread per core), new with one thread, new zstd, and
#     `tar -c | gzip -6 | sha256sum`, interleaved, five runs each (wall clock including process
#     start, and CPU time), and takes the medians;
#  4. checks that new writes the same digest with 1, 2 and 8 threads;
#  5. measures peak RSS writing a ~1 GiB folder with /usr/bin/time -v (old and new, one run each);
# and writes the figures to artifacts/bench/layer.txt. Goals on 2 cores: new >= 1.7x old and
# >= 2x the pipeline (wall clock), peak RSS < 150 MB. Generated data is deleted afterwards.
# Figures are only as quiet as the machine: the load average is printed with them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

runs="${RUNS:-5}"
small_mb="${BENCH_SMALL_MB:-100}"
large_mb="${BENCH_LARGE_MB:-1024}"
baseline="${BENCH_BASELINE:-da9443a}"
work="$root/.tmp/bench-layer"
report="$root/artifacts/bench/layer.txt"
new_dll="$root/tests/MultiArch.Build.Benchmarks/bin/Release/net10.0/MultiArch.Build.Benchmarks.dll"
old_dll="$work/baseline/tests/MultiArch.Build.Benchmarks/bin/Release/net10.0/MultiArch.Build.Benchmarks.dll"

[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is missing; run build/install-prereqs.sh" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work/baseline" "$(dirname "$report")"
trap 'rm -rf "$work"' EXIT

echo "Building the benchmark app (this tree, and $baseline)..."
dotnet build "$root/tests/MultiArch.Build.Benchmarks" -c Release -v quiet -nologo >/dev/null
git archive "$baseline" Directory.Build.props Directory.Packages.props src/MultiArch.Build tests/Directory.Build.props tests/MultiArch.Build.Benchmarks \
  | tar -x -C "$work/baseline"
dotnet build "$work/baseline/tests/MultiArch.Build.Benchmarks" -c Release -v quiet -nologo >/dev/null

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
field() { sed -n "s/^$1: //p" "$2"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "Generating ${small_mb} MiB folder..."
gen="$(dotnet "$new_dll" generate "$work/small" "$small_mb")"
files="$(sed -n 's/^files: //p' <<<"$gen")"
bytes="$(sed -n 's/^bytes: //p' <<<"$gen")"
load_start="$(load)"

# run NAME COMMAND...: one timed run; appends wall, CPU (user+sys) and in-process seconds to NAME's lists.
declare -A wall cpu inproc
run() {
  local name="$1"; shift
  rm -rf "$work/out"
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >"$work/$name.txt"
  read -r w u s <"$work/time.txt"
  wall[$name]+="$w "
  cpu[$name]+="$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }') "
  inproc[$name]+="$(field seconds "$work/$name.txt") "
}
pipeline() { tar -c -C "$work/small" . | gzip -6 | sha256sum >/dev/null; }
export -f pipeline; export work

variants=(old new new1 zstd pipeline)
# command_of VARIANT: sets cmd to the variant's command line.
command_of() {
  case "$1" in
    old) cmd=(dotnet "$old_dll" layer "$work/small" --out "$work/out") ;;
    new) cmd=(dotnet "$new_dll" layer "$work/small" --out "$work/out") ;;
    new1) cmd=(dotnet "$new_dll" layer "$work/small" --out "$work/out" --threads 1) ;;
    zstd) cmd=(dotnet "$new_dll" layer "$work/small" --out "$work/out" --compression zstd) ;;
    pipeline) cmd=(bash -c pipeline) ;;
  esac
}
# One untimed run of each warms the page cache and the dotnet host.
for v in "${variants[@]}"; do command_of "$v"; rm -rf "$work/out"; "${cmd[@]}" >/dev/null; done
for i in $(seq "$runs"); do
  # Rotate the order each run, so no variant always runs right after the same one.
  for j in "${!variants[@]}"; do
    v="${variants[$(((i + j) % ${#variants[@]}))]}"
    command_of "$v"
    run "$v" "${cmd[@]}"
    [ "$v" = new ] && cp "$work/new.txt" "$work/new-last.txt"
    [ "$v" = old ] && old_blob="$(field bytes "$work/old.txt" | awk '{ print $3 }')"
    [ "$v" = zstd ] && zstd_blob="$(field bytes "$work/zstd.txt" | awk '{ print $3 }')"
  done
  echo "run $i: $(for v in "${variants[@]}"; do printf '%s %ss  ' "$v" "$(awk '{ print $NF }' <<<"${wall[$v]}")"; done)"
done
load_end="$(load)"

declare -A wall_m cpu_m inproc_m
for v in "${variants[@]}"; do
  wall_m[$v]="$(tr ' ' '\n' <<<"${wall[$v]}" | sed '/^$/d' | median)"
  cpu_m[$v]="$(tr ' ' '\n' <<<"${cpu[$v]}" | sed '/^$/d' | median)"
  inproc_m[$v]="$(tr ' ' '\n' <<<"${inproc[$v]}" | sed '/^$/d' | median)"
done
new_blob="$(field bytes "$work/new-last.txt" | awk '{ print $3 }')"
tar_bytes="$(field bytes "$work/new-last.txt" | awk '{ print $1 }')"
overhead="$(awk -v n="$new_blob" -v o="$old_blob" 'BEGIN { printf "%+.3f", (n / o - 1) * 100 }')"

echo "Checking digests across thread counts..."
declare -A digests
for t in 1 2 8; do
  rm -rf "$work/out"
  digests[$t]="$(dotnet "$new_dll" layer "$work/small" --out "$work/out" --threads "$t" | sed -n 's/^digest: //p')"
done
same="no: ${digests[1]} / ${digests[2]} / ${digests[8]}"
[ "${digests[1]}" = "${digests[2]}" ] && [ "${digests[1]}" = "${digests[8]}" ] && same="yes, ${digests[1]}"
rm -rf "$work/small" "$work/out"

echo "Generating ${large_mb} MiB folder..."
large_gen="$(dotnet "$new_dll" generate "$work/large" "$large_mb")"
large_bytes="$(sed -n 's/^bytes: //p' <<<"$large_gen")"
declare -A rss_kb large_s
for v in old new; do
  dll="$new_dll"; [ "$v" = old ] && dll="$old_dll"
  rm -rf "$work/out-large"
  /usr/bin/time -v -o "$work/time.txt" dotnet "$dll" layer "$work/large" --out "$work/out-large" >"$work/large.txt"
  rss_kb[$v]="$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$work/time.txt")"
  large_s[$v]="$(field seconds "$work/large.txt")"
done

line() { # name label
  printf '%-34s wall %6.2f s = %6s MB/s | in-process %6.2f s = %6s MB/s | CPU %6.2f s\n' "$2" \
    "${wall_m[$1]}" "$(mbps "$bytes" "${wall_m[$1]}")" "${inproc_m[$1]:-0}" "$( [ -n "${inproc_m[$1]}" ] && mbps "$bytes" "${inproc_m[$1]}" || echo -)" "${cpu_m[$1]}"
}
{
  echo "Layer writer benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD) (old: $baseline), $(nproc) cores, dotnet $(dotnet --version)"
  echo "load average before / after the timed runs: $load_start / $load_end (figures from a busy machine are noisy)"
  echo "folder: ${small_mb} MiB, ${files} files, ${bytes} bytes (MultiArch.Build.Benchmarks generate); tar ${tar_bytes} bytes"
  echo "medians of ${runs} interleaved runs; wall clock includes process start; MB/s are folder bytes per second:"
  line old "old (one gzip stream, one core)"
  line new "new (gzip blocks, $(nproc) threads)"
  line new1 "new (gzip blocks, 1 thread)"
  line zstd "new (zstd, $(nproc) threads)"
  printf '%-34s wall %6.2f s = %6s MB/s | CPU %6.2f s\n' "tar -c | gzip -6 | sha256sum" "${wall_m[pipeline]}" "$(mbps "$bytes" "${wall_m[pipeline]}")" "${cpu_m[pipeline]}"
  echo "throughput new / old (wall clock): $(ratio "${wall_m[old]}" "${wall_m[new]}") (goal >= 1.70); in-process: $(ratio "${inproc_m[old]}" "${inproc_m[new]}")"
  echo "throughput new / pipeline (wall clock): $(ratio "${wall_m[pipeline]}" "${wall_m[new]}") (goal >= 2.00)"
  echo "throughput old / pipeline (wall clock): $(ratio "${wall_m[pipeline]}" "${wall_m[old]}")"
  echo "gzip size: old ${old_blob} bytes, new ${new_blob} bytes (${overhead} %); zstd ${zstd_blob} bytes"
  echo "same digest with 1, 2 and 8 threads: ${same}"
  echo "peak RSS writing ${large_mb} MiB (${large_bytes} bytes, /usr/bin/time -v, 1 run each): old $((rss_kb[old] / 1024)) MB, new $((rss_kb[new] / 1024)) MB (goal < 150 MB); in-process old ${large_s[old]} s, new ${large_s[new]} s"
} | tee "$report"
echo "Written to $report"
