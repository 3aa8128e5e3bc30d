#!/usr/bin/env bash
# Packs MultiArch.Build into artifacts/packages with a version that is new each time (so NuGet's
# global package cache never serves a stale build) and prints that version.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="${1:-0.1.0-dev.$(date -u +%Y%m%d%H%M%S)}"
dotnet pack "$root/nuget/MultiArch.Build.Package.csproj" -c Release -p:Version="$version" -o "$root/artifacts/packages" >&2
echo "$version"
