#!/usr/bin/env bash
# MultiArch.Build against the .NET SDK's `dotnet publish -t:PublishContainer`, on one web app
# (ASP.NET Core + Newtonsoft.Json, Serilog, Dapper; build/bench/), pushing to a loopback registry.
#
#   build/bench-publish.sh            RUNS=N (default 5) runs per tool, configuration and scenario
#
# Configurations: sc   = self-contained linux-x64 on dotnet/runtime-deps:10.0
#                 fdd  = framework-dependent linux-x64 + linux-arm64 on dotnet/aspnet:10.0
#                 sczstd = sc with ContainerLayerCompression=zstd (ours only, run right after ours' sc in the
#                          same interleaving; its ratios are against the SDK's sc, as the SDK has no zstd)
# Scenarios, in this order in the same repository: cold (no obj/bin, empty user layer cache, empty
# repository), noop (publish again, nothing changed), change (one string in Program.cs edited, publish
# again), fresh (obj/, bin/ and the user layer cache removed, as on a CI runner, another one-line change;
# the registry holds the image of the change before).
# Runs are interleaved (run 1: ours then sdk, run 2: sdk then ours, ...), each in its own repository.
# Ours' user layer cache (MULTIARCH_CACHE_DIR) is a folder of the benchmark's own, emptied before cold and fresh.
#
# Measured per publish: wall time of `dotnet publish`; containerize time from -clp:PerformanceSummary
# (ours: the PublishContainerImages task; the SDK: CreateNewImage + CreateImageIndex, summed over
# platforms); restore and compile time from the same summary (RestoreTask, Csc), where the rest of the
# wall time goes; bytes uploaded from ours' ContainerMetadataFile; for both tools, the bytes of the
# blobs that are new in the registry's storage after the publish; and the peak memory (max RSS of the
# largest process of the publish, from /usr/bin/time: the MSBuild node, not the image step alone). Before every cold run the registry is
# stopped, everything but the seeded base images is removed from its storage and it is started again,
# so identical blobs of earlier runs cannot make a cold push look cheap.
#
# Writes artifacts/bench/publish.csv (one row per publish), artifacts/bench/publish.md (medians,
# ratios ours/SDK and the goals) and the publish logs under artifacts/bench/publish-logs/.
# Fails on the first publish that fails or takes longer than BENCH_PUBLISH_TIMEOUT seconds (default 600).
# Env: RUNS, BENCH_PORT (default: a free port),
# BENCH_WORK (default ${TMPDIR:-/tmp}/mab-bench-publish), BENCH_KEEP=1 keeps BENCH_WORK.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

runs="${RUNS:-5}"
publish_timeout="${BENCH_PUBLISH_TIMEOUT:-600}" # seconds; a publish that hangs fails the benchmark
work="${BENCH_WORK:-${TMPDIR:-/tmp}/mab-bench-publish}"
out="$root/artifacts/bench"
csv="$out/publish.csv"
report="$out/publish.md"
logs="$out/publish-logs"

fail() { echo "error: $*" >&2; exit 1; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || fail "RUNS must be a positive number, not '$runs'"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

bash "$root/build/install-prereqs.sh"
for tool in dotnet docker-registry skopeo jq curl python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run build/install-prereqs.sh"
done

port="${BENCH_PORT:-$(free_port)}"
registry="127.0.0.1:$port"
storage="$work/registry"
blobs="$storage/data/docker/registry/v2/blobs"
repositories="$storage/data/docker/registry/v2/repositories"

stop_registry() {
  local pid
  pid="$(cat "$storage/registry.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$storage/registry.pid"
}
cleanup() {
  stop_registry
  if [ "${BENCH_KEEP:-0}" != "1" ]; then rm -rf "$work"; fi
}

rm -rf "$work" "$logs"
mkdir -p "$work" "$logs"
trap cleanup EXIT

bash "$root/build/start-registry.sh" "$port" "$storage"
bash "$root/build/seed-base-images.sh" "$registry"
find "$blobs" -name data -printf '%h\n' | sort >"$work/seed-blobs.txt"

# Back to the seeded state: only the dotnet/* repositories and their blobs.
reset_registry() {
  stop_registry
  find "$repositories" -mindepth 1 -maxdepth 1 ! -name dotnet -exec rm -rf {} +
  find "$blobs" -name data -printf '%h\n' | sort | comm -23 - "$work/seed-blobs.txt" | xargs -r rm -rf
  bash "$root/build/start-registry.sh" "$port" "$storage" >/dev/null
}

stored_bytes() { find "$blobs" -name data -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }

version="$(bash "$root/build/pack.sh")"
echo "Packed MultiArch.Build $version"

# One copy of the app per tool: ours references the package from the packed feed, the SDK's does not.
make_app() {
  local dir="$work/$1/BenchApp"
  mkdir -p "$dir"
  printf '<Project />\n' >"$work/$1/Directory.Build.props"
  printf '<Project />\n' >"$work/$1/Directory.Build.targets"
  cp "$root/build/bench/BenchApp.csproj.in" "$dir/BenchApp.csproj"
  if [ "$1" = ours ]; then
    cat >"$work/$1/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="multiarch-bench" value="$root/artifacts/packages" />
  </packageSources>
</configuration>
EOF
  fi
}
make_app ours
make_app sdk

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
export DOTNET_CONTAINER_INSECURE_REGISTRIES="$registry"
export MULTIARCH_CACHE_DIR="$work/user-layer-cache"
unset SOURCE_DATE_EPOCH

# publish_args TOOL CONFIG REPOSITORY METADATA -> the `dotnet publish` arguments, one per line.
publish_args() {
  local tool="$1" config="$2" repository="$3" metadata="$4"
  printf '%s\n' "$work/$tool/BenchApp/BenchApp.csproj" -c Release -nodeReuse:false -v:m -clp:PerformanceSummary \
    -p:ContainerRegistry="$registry" -p:ContainerRepository="$repository"
  case "$tool/$config" in
    ours/sc) printf '%s\n' -p:MultiArchBuildVersion="$version" -p:BenchSelfContained=true \
               -p:ContainerPlatforms=linux-x64 -p:ContainerBaseImage="$registry/dotnet/runtime-deps:10.0" \
               -p:ContainerMetadataFile="$metadata" ;;
    ours/sczstd) printf '%s\n' -p:MultiArchBuildVersion="$version" -p:BenchSelfContained=true \
               -p:ContainerPlatforms=linux-x64 -p:ContainerBaseImage="$registry/dotnet/runtime-deps:10.0" \
               -p:ContainerLayerCompression=zstd -p:ContainerImageFormat=OCI -p:ContainerMetadataFile="$metadata" ;;
    ours/fdd) printf '%s\n' -p:MultiArchBuildVersion="$version" -p:UseAppHost=false \
               "-p:ContainerPlatforms=linux-x64 linux-arm64" -p:ContainerBaseImage="$registry/dotnet/aspnet:10.0" \
               -p:ContainerMetadataFile="$metadata" ;;
    sdk/sc) printf '%s\n' -t:PublishContainer -r linux-x64 -p:BenchSelfContained=true \
               -p:ContainerBaseImage="$registry/dotnet/runtime-deps:10.0" ;;
    sdk/fdd) printf '%s\n' -t:PublishContainer -p:BenchSdkMultiPlatform=true -p:EnableAppHostPackDownload=false \
               -p:EnableRuntimePackDownload=false -p:UseAppHost=false -p:ContainerBaseImage="$registry/dotnet/aspnet:10.0" ;;
  esac
}

# task_ms LOG TASK... -> the summed time of the tasks in the log's Task Performance Summary, in ms.
task_ms() {
  local log="$1"; shift
  awk -v names="$*" '
    BEGIN { n = split(names, list, " "); for (i = 1; i <= n; i++) want[list[i]] = 1 }
    /Task Performance Summary:/ { on = 1; next }
    on && $2 == "ms" && ($3 in want) { sum += $1; found = 1 }
    END { if (found) print sum; else print "" }' "$log"
}

# expect_platforms REPOSITORY COUNT -> fails unless the tag latest is an index of COUNT platforms (or, for 1, any image).
expect_platforms() {
  local raw count
  raw="$(skopeo inspect --raw --tls-verify=false "docker://$registry/$1:latest")" ||
    fail "$registry/$1:latest is not in the registry after the publish"
  count="$(jq '[.manifests[]?] | length' <<<"$raw")"
  if [ "$2" -gt 1 ] && [ "$count" -ne "$2" ]; then fail "$registry/$1:latest has $count platforms, expected $2"; fi
}

now() { date +%s.%N; }

# publish TOOL CONFIG RUN SCENARIO REPOSITORY -> one CSV row.
publish() {
  local tool="$1" config="$2" run="$3" scenario="$4" repository="$5"
  local name="$config-$tool-r$run-$scenario" log metadata before after start end wall containerize uploaded rss restore compile
  log="$logs/$name.log"
  metadata="$work/$name.metadata.json"
  rss="$work/$name.rss"
  local args=()
  mapfile -t args < <(publish_args "$tool" "$config" "$repository" "$metadata")
  before="$(stored_bytes)"
  start="$(now)"
  if ! /usr/bin/time -f '%M' -o "$rss" timeout "$publish_timeout" dotnet publish "${args[@]}" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    fail "$tool publish failed ($name); full log: $log"
  fi
  end="$(now)"
  after="$(stored_bytes)"
  wall="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
  if [ "$tool" = ours ]; then
    containerize="$(task_ms "$log" PublishContainerImages)"
    [ -f "$metadata" ] || fail "ours wrote no ContainerMetadataFile ($name)"
    uploaded="$(jq -e .bytesUploaded "$metadata")" || fail "no bytesUploaded in $metadata"
  else
    containerize="$(task_ms "$log" CreateNewImage CreateImageIndex)"
    uploaded=""
  fi
  [ -n "$containerize" ] || fail "no container task in the performance summary of $log"
  if [ "$config" = fdd ]; then expect_platforms "$repository" 2; else expect_platforms "$repository" 1; fi
  restore="$(task_ms "$log" RestoreTask)"; compile="$(task_ms "$log" Csc)"
  echo "$config,$tool,$run,$scenario,$wall,$(seconds "$containerize"),$uploaded,$((after - before)),$repository,$(seconds "$restore"),$(seconds "$compile"),$(tail -n 1 "$rss")" >>"$csv"
  printf '%-6s %-4s run %s %-6s wall %6ss containerize %6ss uploaded %10s registry +%s bytes, peak %s MB\n' \
    "$config" "$tool" "$run" "$scenario" "$wall" "$(seconds "$containerize")" \
    "${uploaded:--}" "$((after - before))" "$(( $(tail -n 1 "$rss") / 1024 ))"
}

# seconds MS -> the milliseconds as seconds with two decimals, or nothing for nothing.
seconds() { [ -n "$1" ] && awk -v m="$1" 'BEGIN { printf "%.2f", m / 1000 }' || true; }

# scenarios TOOL CONFIG RUN -> cold, no-op, one-line change and fresh checkout in a repository of this run's own.
scenarios() {
  local tool="$1" config="$2" run="$3" app="$work/$1/BenchApp"
  local repository="bench/$config-$tool-r$run"
  rm -rf "$app/obj" "$app/bin" "$MULTIARCH_CACHE_DIR"
  cp "$root/build/bench/Program.cs.in" "$app/Program.cs"
  reset_registry
  publish "$tool" "$config" "$run" cold "$repository"
  publish "$tool" "$config" "$run" noop "$repository"
  edit "$app" "edit $run"
  publish "$tool" "$config" "$run" change "$repository"
  # A CI runner: a fresh clone has no obj/ or bin/, and no user cache unless the job keeps one.
  rm -rf "$app/obj" "$app/bin" "$MULTIARCH_CACHE_DIR"
  edit "$app" "fresh edit $run"
  publish "$tool" "$config" "$run" fresh "$repository"
}

# edit APP TEXT -> the one-line change: the greeting becomes "Hello from the benchmark app, TEXT".
edit() {
  sed -i "s/\"Hello from the benchmark app[^\"]*\"/\"Hello from the benchmark app, $2\"/" "$1/Program.cs"
  grep -q "app, $2\"" "$1/Program.cs" || fail "the one-line change did not apply to $1/Program.cs"
}

configs=(sc fdd sczstd)
echo "config,tool,run,scenario,wall_s,containerize_s,bytes_uploaded,registry_new_bytes,repository,restore_s,compile_s,max_rss_kb" >"$csv"
for config in sc fdd; do
  for run in $(seq "$runs"); do
    if [ $((run % 2)) -eq 1 ]; then order=(ours sdk); else order=(sdk ours); fi
    for tool in "${order[@]}"; do
      scenarios "$tool" "$config" "$run"
      # zstd is ours alone (the SDK writes gzip only): next to ours' sc, so both meet the same machine load.
      if [ "$config" = sc ] && [ "$tool" = ours ]; then scenarios ours sczstd "$run"; fi
    done
  done
done

# median CONFIG TOOL SCENARIO COLUMN -> the median (the lower middle for an even count) of a CSV column.
median() {
  awk -F, -v c="$1" -v t="$2" -v s="$3" -v col="$4" \
    'NR > 1 && $1 == c && $2 == t && $4 == s && $col != "" { print $col }' "$csv" |
    sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "" }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.3f", a / b }'; }

# against CONFIG -> the SDK configuration ours is compared with (the SDK has no zstd: its sc).
against() { [ "$1" = sczstd ] && echo sc || echo "$1"; }
mb() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }' || true; }
# goal LABEL VALUE LIMIT [lt] -> one line of the goals list: met when VALUE <= LIMIT (or < LIMIT with lt).
goal() {
  local met
  met="$(awk -v r="$2" -v g="$3" -v lt="${4:-}" 'BEGIN { print (r != "-" && (lt ? r < g : r <= g)) ? "met" : "NOT met" }')"
  echo "- $1 = $2 (goal $([ -n "${4:-}" ] && echo "<" || echo "<=") $3): $met"
}

{
  echo "# Publish benchmark: MultiArch.Build vs dotnet publish -t:PublishContainer"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD), MultiArch.Build $version," \
    "dotnet $(dotnet --version), $(nproc) cores, registry $registry (docker-registry, filesystem storage)."
  echo "Medians of $runs interleaved runs per cell. Times in seconds; bytes in bytes; peak memory in MB."
  echo "Containerize: ours = PublishContainerImages task; SDK = CreateNewImage + CreateImageIndex tasks (-clp:PerformanceSummary)."
  echo "Uploaded (ours) = ContainerMetadataFile bytesUploaded; registry = bytes of blobs new in the registry's storage."
  echo "Peak = max RSS of the largest process of the publish (/usr/bin/time), i.e. the MSBuild node with everything it ran."
  echo "sczstd is ours with zstd layers, compared with the SDK's sc (gzip; the SDK has no zstd)."
  echo
  echo "| config | scenario | wall ours | wall sdk | wall ours/sdk | containerize ours | containerize sdk | containerize ours/sdk | uploaded ours | registry ours | registry sdk | registry ours/sdk | peak ours | peak sdk |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for config in "${configs[@]}"; do
    sdk="$(against "$config")"
    for scenario in cold noop change fresh; do
      wo="$(median "$config" ours $scenario 5)"; ws="$(median "$sdk" sdk $scenario 5)"
      co="$(median "$config" ours $scenario 6)"; cs="$(median "$sdk" sdk $scenario 6)"
      uo="$(median "$config" ours $scenario 7)"
      ro="$(median "$config" ours $scenario 8)"; rs="$(median "$sdk" sdk $scenario 8)"
      po="$(mb "$(median "$config" ours $scenario 12)")"; ps="$(mb "$(median "$sdk" sdk $scenario 12)")"
      echo "| $config | $scenario | $wo | $ws | $(ratio "$wo" "$ws") | $co | $cs | $(ratio "$co" "$cs") | $uo | $ro | $rs | $(ratio "$ro" "$rs") | $po | $ps |"
    done
  done
  echo
  echo "Where the wall time goes (medians of the task times in -clp:PerformanceSummary: RestoreTask, Csc, the container tasks)."
  echo "Task times are summed over MSBuild nodes: fdd compiles its two platforms in parallel, so its compile can exceed its wall."
  echo "The rest of a single-platform wall is evaluation, the publish copy and MSBuild's start."
  echo
  echo "| config | scenario | tool | wall | restore | compile | containerize |"
  echo "|---|---|---|---|---|---|---|"
  for config in "${configs[@]}"; do
    for scenario in cold noop change fresh; do
      for tool in ours sdk; do
        c="$config"; [ "$tool" = sdk ] && c="$(against "$config")"
        [ "$tool" = sdk ] && [ "$config" = sczstd ] && continue
        w="$(median "$c" $tool $scenario 5)"; r="$(median "$c" $tool $scenario 10)"; k="$(median "$c" $tool $scenario 11)"; z="$(median "$c" $tool $scenario 6)"
        echo "| $c | $scenario | $tool | $w | ${r:-0} | ${k:-0} | $z |"
      done
    done
  done
  echo
  echo "Goals (from the medians):"
  for config in "${configs[@]}"; do
    sdk="$(against "$config")"
    for scenario in cold noop change fresh; do
      goal "$config $scenario: containerize ours/sdk" "$(ratio "$(median "$config" ours $scenario 6)" "$(median "$sdk" sdk $scenario 6)")" \
        "$(case $scenario in cold) echo 0.6 ;; fresh) echo 0.2 ;; *) echo 0.5 ;; esac)"
    done
    goal "$config noop: wall ours/sdk" "$(ratio "$(median "$config" ours noop 5)" "$(median "$sdk" sdk noop 5)")" 0.6
    goal "$config fresh: wall ours/sdk" "$(ratio "$(median "$config" ours fresh 5)" "$(median "$sdk" sdk fresh 5)")" 0.7
    for scenario in change fresh; do
      goal "$config $scenario: registry bytes ours/sdk" "$(ratio "$(median "$config" ours $scenario 8)" "$(median "$sdk" sdk $scenario 8)")" 0.01 lt
    done
    u="$(median "$config" ours noop 7)"; g="$(median "$config" ours noop 8)"
    echo "- $config noop: ours uploaded $u bytes, registry +$g bytes (goal 0): $([ "$u" = 0 ] && [ "$g" = 0 ] && echo met || echo "NOT met")"
  done
  echo
  echo "Per-publish rows: artifacts/bench/publish.csv; logs: artifacts/bench/publish-logs/."
} >"$report"

echo
cat "$report"
echo
echo "Written to $report and $csv"
