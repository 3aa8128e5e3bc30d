#!/usr/bin/env bash
# Runner overhead benchmark: what running a task's work out of process (the .NET Framework tasks of Visual Studio's
# MSBuild, or -p:MultiArchOutOfProcess=true) costs over running it in MSBuild's process. Times a project that calls
# CheckContainerSettings (the lightest task) `calls` times, with `dotnet msbuild`, in process and then out of process,
# interleaved; the difference divided by the calls is the runner's start-up per task. Also times the runner alone.
# Writes the runs and the medians to artifacts/bench/runner.txt.
#   usage: build/bench-runner.sh [runs=5] [calls=10]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
calls="${2:-10}"
out="$root/artifacts/bench/runner.txt"
mkdir -p "$(dirname "$out")"

dotnet build "$root/src/MultiArch.Build.Tasks/MultiArch.Build.Tasks.csproj" -c Release -nologo -v:q >&2
tasks="$root/src/MultiArch.Build.Tasks/bin/Release/net8.0"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

{
  echo '<Project>'
  echo "  <UsingTask TaskName=\"MultiArch.Build.Tasks.CheckContainerSettings\" AssemblyFile=\"$tasks/MultiArch.Build.Tasks.dll\" />"
  echo '  <Target Name="Check">'
  for i in $(seq 1 "$calls"); do
    echo "    <CheckContainerSettings Repository=\"app$i\" ImageTags=\"1.0 latest\" OutOfProcess=\"\$(MultiArchOutOfProcess)\" NetCoreRoot=\"\$(NetCoreRoot)\" />"
  done
  echo '  </Target>'
  echo '</Project>'
} >"$work/bench.proj"

request='{"protocol":1,"task":"CheckContainerSettings","properties":{"Repository":"app","ImageTags":"1.0","ImageFormat":null,"Registry":null,"LayerStrategy":null,"AppCommandInstruction":null,"LayerCompression":null,"GenerateSbom":"false","SbomStorage":null,"PushByDigest":"false"},"items":{"Ports":[],"EnvironmentVariables":[],"Labels":[],"Annotations":[],"Entrypoint":[],"EntrypointArgs":[],"AppCommand":[],"AppCommandArgs":[],"DefaultArgs":[]}}'

seconds() { local start end; start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N); awk -v n="$((end - start))" 'BEGIN {printf "%.3f\n", n / 1e9}'; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

msbuild_run() { dotnet msbuild "$work/bench.proj" -nologo -nodeReuse:false -v:q -p:MultiArchOutOfProcess="$1"; }
runner_run() { echo "$request" | dotnet "$tasks/MultiArch.Build.Runner.dll"; }

msbuild_run false >/dev/null 2>&1; msbuild_run true >/dev/null 2>&1; runner_run >/dev/null 2>&1   # warm the disk cache
: >"$work/in"; : >"$work/out"; : >"$work/runner"
for i in $(seq 1 "$runs"); do
  seconds msbuild_run false >>"$work/in"
  seconds msbuild_run true >>"$work/out"
  seconds runner_run >>"$work/runner"
done
in_median=$(median <"$work/in"); out_median=$(median <"$work/out"); runner_median=$(median <"$work/runner")
per_task=$(awk -v a="$out_median" -v b="$in_median" -v c="$calls" 'BEGIN {printf "%.3f", (a - b) / c}')
{
  echo "MultiArch.Build runner overhead, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, dotnet $(dotnet --version), commit $(git -C "$root" rev-parse --short HEAD)"
  echo "dotnet msbuild of $calls CheckContainerSettings calls, $runs runs each (seconds):"
  echo "  in process:     $(tr '\n' ' ' <"$work/in") median $in_median"
  echo "  out of process: $(tr '\n' ' ' <"$work/out") median $out_median"
  echo "  runner start-up per task (difference / calls): $per_task s"
  echo "the runner alone (dotnet MultiArch.Build.Runner.dll, one CheckContainerSettings request): $(tr '\n' ' ' <"$work/runner") median $runner_median"
} | tee "$out"
